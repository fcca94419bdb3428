import { DomainError } from '../../lib/errors.ts';

/** What a request authenticated by a session knows about it (for `current`; MFA reads the principal's authentication). */
export interface SessionInfo {
  id: string;
  mfa: boolean;
  amr: string[];
  acr: string | null;
  authTime: Date | null;
}

/**
 * RFC 8176 values that name a factor beyond a password. `mfa` is the provider saying so outright (Entra ID,
 * Okta); the others count when the provider lists them next to a first factor. The flag describes the session
 * (`/me/sessions`); MFA enforcement does not read it but the stored amr/acr/auth_time, against MFA_AMR_VALUES and
 * MFA_ACR_VALUES, as for tokens (docs/decisions/0036).
 */
const SECOND_FACTORS = new Set([
  'otp',
  'hwk',
  'swk',
  'sms',
  'tel',
  'fpt',
  'face',
  'iris',
  'retina',
  'vbm',
  'sc',
  'pop',
]);

export function mfaFromAmr(amr: readonly string[]): boolean {
  if (amr.includes('mfa')) return true;
  const factors = amr.filter((value) => SECOND_FACTORS.has(value));
  return factors.length > 0 && amr.length > factors.length;
}

export const invalidSession = () =>
  new DomainError('unauthenticated', 'The session cookie names no session of this account; sign in again.', {
    code: 'invalid_session',
  });

export const sessionExpired = () =>
  new DomainError('unauthenticated', 'The session has expired; sign in again.', { code: 'session_expired' });

export const sessionRevoked = () =>
  new DomainError('unauthenticated', 'The session was ended; sign in again.', { code: 'session_revoked' });

/** Last-seen (and with it the idle expiry) moves at most this often: one write a minute per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
