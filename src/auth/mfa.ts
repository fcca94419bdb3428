import type { UserRole } from '../db/schema/enums.ts';
import { DomainError } from '../lib/errors.ts';
import type { Authentication } from './authentication.ts';
import type { Principal } from './principal.ts';

/** An organization's multi-factor policy (its security policy, docs/decisions/0036). */
export interface MfaPolicy {
  /** Roles whose every request needs MFA; super_admin always does, listed or not. */
  requiredRoles: readonly UserRole[];
  /** RFC 9470 max_age: how long ago the second factor may have been used; null: any time while the credential lives. */
  maxAgeSeconds: number | null;
  /** Whether a built-in TOTP verification counts (off when the identity provider enforces MFA itself). */
  builtInTotp: boolean;
}

export const DEFAULT_MFA_POLICY: MfaPolicy = {
  requiredRoles: ['super_admin', 'org_admin'],
  maxAgeSeconds: null,
  builtInTotp: true,
};

/** What counts as multi-factor from the identity provider: one of these `amr` values, or one of these `acr`s. */
export interface MfaRecognition {
  amrValues: readonly string[];
  acrValues: readonly string[];
}

export type MfaRequirement = Pick<MfaPolicy, 'maxAgeSeconds' | 'builtInTotp'> & { recognition: MfaRecognition };

/** Where a built-in code is verified: the refusal points there. */
export const MFA_VERIFY_PATH = '/api/v1/me/mfa/verify';

/** super_admin acts in every organization, so no organization's policy can exempt it. */
export const mfaRequired = (role: UserRole, policy: MfaPolicy): boolean =>
  role === 'super_admin' || policy.requiredRoles.includes(role);

const recognisedByIdentityProvider = (auth: Authentication, recognition: MfaRecognition): boolean =>
  auth.amr.some((method) => recognition.amrValues.includes(method)) ||
  (auth.acr !== undefined && recognition.acrValues.includes(auth.acr));

const recentEnough = (at: Date | undefined, maxAgeSeconds: number | null, now: Date): boolean =>
  maxAgeSeconds === null || (at !== undefined && now.getTime() - at.getTime() <= maxAgeSeconds * 1000);

/**
 * Whether the authentication behind a credential (a token's claims, or a session's record) meets the
 * requirement at `now`: the identity provider reported a recognised second factor (amr or acr), at an
 * `auth_time` within max_age when there is one; or a built-in factor was verified for this credential,
 * within max_age, where the organization lets built-in factors count. With max_age, a provider that sends
 * no `auth_time` cannot show recentness, and does not pass.
 */
export function mfaSatisfied(auth: Authentication, requirement: MfaRequirement, now: Date): boolean {
  const { maxAgeSeconds } = requirement;
  if (recognisedByIdentityProvider(auth, requirement.recognition) && recentEnough(auth.authTime, maxAgeSeconds, now))
    return true;
  return (
    requirement.builtInTotp &&
    auth.secondFactorAt !== undefined &&
    recentEnough(auth.secondFactorAt, maxAgeSeconds, now)
  );
}

/** The step-up hint a refusal carries (problem member `stepUp`): what to ask the identity provider for, or where to verify. */
export interface StepUp {
  acrValues: readonly string[];
  maxAge: number | null;
  /** The built-in alternative, when the organization allows it. */
  verify: string | null;
  /** Sessions: where the browser signs in again. */
  url: string | null;
}

const RELATIVE_BASE = 'http://relative.invalid';

/**
 * The session's sign-in address with what the identity provider must be asked for (OpenID Connect Core
 * §3.1.2.1): prompt=login, acr_values, and max_age when the policy sets one. The sign-in route forwards them.
 */
function stepUpAddress(base: string, { maxAgeSeconds, recognition }: MfaRequirement): string {
  const url = new URL(base, RELATIVE_BASE);
  url.searchParams.set('prompt', 'login');
  url.searchParams.set('acr_values', recognition.acrValues.join(' '));
  if (maxAgeSeconds !== null) url.searchParams.set('max_age', String(maxAgeSeconds));
  return url.origin === RELATIVE_BASE ? `${url.pathname}${url.search}` : url.toString();
}

function refusal(auth: Authentication | undefined, requirement: MfaRequirement, reason: string) {
  const { maxAgeSeconds, recognition } = requirement;
  const stale =
    auth !== undefined && (recognisedByIdentityProvider(auth, recognition) || auth.secondFactorAt !== undefined);
  const description = stale && maxAgeSeconds !== null ? `${reason} within the last ${maxAgeSeconds} seconds` : reason;
  const stepUp: StepUp = {
    acrValues: recognition.acrValues,
    maxAge: maxAgeSeconds,
    verify: requirement.builtInTotp ? MFA_VERIFY_PATH : null,
    url: auth?.stepUpUrl === undefined ? null : stepUpAddress(auth.stepUpUrl, requirement),
  };
  const how =
    auth?.via === 'session'
      ? 'sign in again (stepUp.url)'
      : `sign in again asking for acr_values${maxAgeSeconds === null ? '' : ' and max_age'} (WWW-Authenticate)`;
  const builtIn = requirement.builtInTotp ? `, or verify an authenticator code at ${MFA_VERIFY_PATH}` : '';
  // RFC 9470 §3: the challenge names the acr and max_age to ask the authorization server for. A session
  // has no authorization server to ask, so it gets no Bearer challenge, only the problem's stepUp.
  const challenge =
    auth?.via === 'session'
      ? null
      : {
          error: 'insufficient_user_authentication',
          error_description: description,
          acr_values: recognition.acrValues.join(' '),
          ...(maxAgeSeconds === null ? {} : { max_age: String(maxAgeSeconds) }),
        };
  return new DomainError('unauthenticated', `${description}: ${how}${builtIn}.`, {
    code: 'insufficient_user_authentication',
    challenge,
    extensions: { stepUp },
  });
}

/**
 * Throws the RFC 9470 refusal (401 insufficient_user_authentication, with the Bearer challenge or, for a
 * session, the step-up address) unless the principal's authentication meets the requirement now.
 */
export function assertMultiFactor(
  principal: Principal,
  requirement: MfaRequirement,
  now: Date,
  reason = 'This operation needs multi-factor authentication',
): void {
  const auth = principal.authentication;
  if (auth && mfaSatisfied(auth, requirement, now)) return;
  throw refusal(auth, requirement, reason);
}

/**
 * Every request of a user whose role the policy lists (super_admin always) must show MFA. API keys are
 * not people and have no second factor: they are never asked (docs/decisions/0036).
 */
export function assertMfa(principal: Principal, policy: MfaPolicy, recognition: MfaRecognition, now: Date): void {
  if (principal.type !== 'user' || !mfaRequired(principal.role, policy)) return;
  const requirement: MfaRequirement = {
    maxAgeSeconds: policy.maxAgeSeconds,
    builtInTotp: policy.builtInTotp,
    recognition,
  };
  assertMultiFactor(
    principal,
    requirement,
    now,
    `The ${principal.role} role must use multi-factor authentication in this organization`,
  );
}
