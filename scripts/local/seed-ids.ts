import { createHash } from 'node:crypto';
import type { UserRole } from '../../src/db/schema/enums.ts';

/**
 * Seeded rows get name-based UUIDs (RFC 9562 v5 layout over SHA-1), so ids are the same on every
 * machine and `npm run token` can name a seeded user without asking the database.
 */
export function seedUuid(name: string): string {
  const hash = createHash('sha1').update(`contentos-seed:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const SEED_ORGS = [
  { slug: 'demo', name: 'Demo Capital Markets' },
  { slug: 'globex', name: 'Globex Research' },
] as const;

export type SeedOrgSlug = (typeof SEED_ORGS)[number]['slug'];

/** super_admin exists only in `demo`: it administers every organization from there. */
export function seedRoles(slug: string): UserRole[] {
  const roles: UserRole[] = ['org_admin', 'editor', 'approver', 'viewer'];
  return slug === 'demo' ? ['super_admin', ...roles] : roles;
}

export const seedOrgId = (slug: string) => seedUuid(`org:${slug}`);
export const seedUserId = (slug: string, role: UserRole) => seedUuid(`user:${slug}:${role}`);
export const seedUserEmail = (slug: string, role: UserRole) => `${role.replace('_', '-')}@${slug}.example.com`;
export const seedContentId = (slug: string, index: number) => seedUuid(`content:${slug}:${index}`);
