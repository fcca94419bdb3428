import type { Actor } from '../../auth/principal.ts';
import type { User, UserRole } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';

/** Profiles are free-form display data; the cap keeps a user row (and its audit rows) small. */
export const MAX_PROFILE_BYTES = 8 * 1024;

export function assertProfileSize(profile: Record<string, unknown> | undefined): void {
  if (profile === undefined) return;
  const bytes = new TextEncoder().encode(JSON.stringify(profile)).byteLength;
  if (bytes > MAX_PROFILE_BYTES) {
    throw new DomainError(
      'rule_violation',
      `profile is ${bytes} bytes serialized; the limit is ${MAX_PROFILE_BYTES}.`,
      {
        code: 'profile_too_large',
        fields: [{ path: 'body.profile', message: `at most ${MAX_PROFILE_BYTES} bytes as JSON`, code: 'too_big' }],
      },
    );
  }
}

/**
 * Platform-wide power is only handed out by those who hold it: users.manage lets an org_admin run its
 * organization, never create, promote or touch a super_admin.
 */
export function assertMayManageRole(actor: Actor, role: UserRole | undefined, target?: Pick<User, 'role'>): void {
  if (actor.role === 'super_admin') return;
  if (role === 'super_admin' || target?.role === 'super_admin') {
    throw new DomainError('forbidden', 'Only a super_admin may create, grant or modify a super_admin.', {
      code: 'super_admin_required',
    });
  }
}

/** Emails are globally unique and compared case-insensitively (users_email_key is on lower(email)). */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const emailTaken = (email: string) =>
  new DomainError('conflict', `A user with email ${email} already exists.`, {
    code: 'email_taken',
    fields: [{ path: 'body.email', message: 'already in use', code: 'email_taken' }],
  });

/** What an audit row shows of a user: the fields a person can change, never timestamps. */
export const userSnapshot = (user: Pick<User, 'email' | 'organizationId' | 'role' | 'status' | 'profile'>) => ({
  email: user.email,
  organizationId: user.organizationId,
  role: user.role,
  status: user.status,
  profile: user.profile,
});
