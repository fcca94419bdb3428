import { DomainError } from '../../lib/errors.ts';

/** What a slug looks like (the table's check constraint holds the same): 1–63 of a-z, 0-9 and inner hyphens. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Slugs name organizations in URLs (`/delivery/v1/{slug}/...`) and possibly in subdomains later; these
 * would read as the platform's own, so no tenant may hold them.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'cdn',
  'contentos',
  'dashboard',
  'delivery',
  'docs',
  'health',
  'help',
  'internal',
  'login',
  'mail',
  'openapi',
  'root',
  'static',
  'status',
  'support',
  'system',
  'www',
]);

export function assertSlugAllowed(slug: string): void {
  if (RESERVED_SLUGS.has(slug)) {
    throw new DomainError('rule_violation', `The slug "${slug}" is reserved by the platform.`, {
      code: 'slug_reserved',
      fields: [{ path: 'body.slug', message: 'reserved', code: 'slug_reserved' }],
    });
  }
}

export const slugTaken = (slug: string) =>
  new DomainError('conflict', `An organization with slug "${slug}" already exists.`, {
    code: 'slug_taken',
    fields: [{ path: 'body.slug', message: 'already in use', code: 'slug_taken' }],
  });

/** PostgreSQL's unique_violation on the given constraint, wherever the driver or drizzle wrapped it. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (
    let e = err, depth = 0;
    typeof e === 'object' && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505' && name === constraint) return true;
  }
  return false;
}

/** What an audit row shows of an organization. */
export const organizationSnapshot = (org: { name: string; slug: string; apiRateLimitPerMinute: number | null }) => ({
  name: org.name,
  slug: org.slug,
  apiRateLimitPerMinute: org.apiRateLimitPerMinute,
});
