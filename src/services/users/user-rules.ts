import type { Actor } from '../../auth/principal.ts';
import type { User, UserRole } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { measureJson } from '../../lib/json-size.ts';

/** Profiles are free-form display data; the caps keep a user row (and its audit rows) small and readable. */
export const MAX_PROFILE_BYTES = 8 * 1024;
/** Display data is a few levels deep at most; a deeper value is a probe, not a profile (ADR 0024). */
export const MAX_PROFILE_DEPTH = 16;

/** Too deep is malformed (400); too large is a rule of this API (422). Measured without serializing. */
export function assertProfileBounds(profile: Record<string, unknown> | undefined): void {
  if (profile === undefined) return;
  const { depth, bytes } = measureJson(profile, { maxDepth: MAX_PROFILE_DEPTH, maxBytes: MAX_PROFILE_BYTES });
  if (depth > MAX_PROFILE_DEPTH) {
    const message = `at most ${MAX_PROFILE_DEPTH} levels of nested objects and arrays`;
    throw new DomainError('validation', `The request body failed validation: body.profile ${message}.`, {
      code: 'validation_failed',
      fields: [{ path: 'body.profile', message, code: 'too_deep' }],
    });
  }
  if (bytes > MAX_PROFILE_BYTES) {
    throw new DomainError('rule_violation', `profile is over ${MAX_PROFILE_BYTES} bytes serialized.`, {
      code: 'profile_too_large',
      fields: [{ path: 'body.profile', message: `at most ${MAX_PROFILE_BYTES} bytes as JSON`, code: 'too_big' }],
    });
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
