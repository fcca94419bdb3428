import { expect } from 'vitest';
import { generateApiKeySecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import type { Database } from '../../../src/db/client.ts';
import { apiKeys, type UserRole } from '../../../src/db/schema/index.ts';
import { fromBase32 } from '../../../src/lib/base32.ts';
import { importTotpKey, totpCode, totpStep, TOTP_PERIOD_SECONDS } from '../../../src/lib/totp.ts';
import { tokenForUser, type SignOptions } from '../auth.ts';
import { call, postJson, type Headers, type TestUser } from '../harness.ts';

/** A route every member may call (content.read): what the MFA checks are tried on. */
export const ANY_MEMBER_ROUTE = '/api/v1/editorial-policy';

/** A bearer token of the user that says nothing of MFA (`amr` absent), or what `claims` say instead. */
export async function withoutMfa(user: { id: string }, options: SignOptions = {}): Promise<Headers> {
  return { authorization: `Bearer ${await tokenForUser(user.id, { ...options, mfa: false })}` };
}

export const get = (path: string, headers: Headers) => call(path, { headers });

/** The authenticator's code `offset` steps from now, as the app on the user's phone would show it. */
export async function codeFor(secret: string, offset = 0): Promise<string> {
  return totpCode(await importTotpKey(fromBase32(secret)), totpStep(new Date()) + offset);
}

/**
 * Waits for a step with at least `seconds` left, so codes computed now are still the current step's (or
 * its neighbours') when the Worker checks them: a test never straddles a 30-second boundary.
 */
export async function freshStep(seconds = 4): Promise<void> {
  const intoStep = (Date.now() / 1000) % TOTP_PERIOD_SECONDS;
  if (TOTP_PERIOD_SECONDS - intoStep < seconds)
    await new Promise((resolve) => setTimeout(resolve, (TOTP_PERIOD_SECONDS - intoStep) * 1000 + 50));
}

export interface Enrolled {
  secret: string;
  otpauthUri: string;
  recoveryCodes: string[];
}

/** Starts and confirms the user's authenticator with the previous step's code (leaving now and next usable). */
export async function enrol(headers: Headers): Promise<Enrolled> {
  await freshStep(8);
  const started = await postJson('/api/v1/me/mfa/totp', {}, headers);
  expect(started.status, await started.clone().text()).toBe(201);
  const { secret, otpauthUri } = (await started.json()) as { secret: string; otpauthUri: string };
  const confirmed = await postJson('/api/v1/me/mfa/totp/confirm', { code: await codeFor(secret, -1) }, headers);
  expect(confirmed.status, await confirmed.clone().text()).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { secret, otpauthUri, recoveryCodes };
}

export const verify = (headers: Headers, body: { code?: string; recoveryCode?: string }) =>
  postJson('/api/v1/me/mfa/verify', body, headers);

/** An API key of `role` created by `creator`, as an org_admin would make one. */
export async function apiKeyHeaders(db: Database, creator: TestUser, role: UserRole): Promise<Headers> {
  const { secret, prefix } = generateApiKeySecret();
  await db.insert(apiKeys).values({
    organizationId: creator.organizationId,
    name: `mfa ${role}`,
    role,
    prefix,
    secretHash: await hashApiKeySecret(secret),
    createdBy: creator.id,
  });
  return { authorization: `Bearer ${secret}` };
}
