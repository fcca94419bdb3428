import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { users } from '../../../src/db/schema/index.ts';
import { ORG_ID, signToken, type SignOptions } from '../auth.ts';
import { needsPostgres, uniqueEmail, useHarness } from '../harness.ts';
import { callApp, readProblem } from '../helpers.ts';

/**
 * Identity binding (docs/decisions/0032): the identity provider account (iss, sub) that first signs in as
 * a user is bound to it; afterwards that account is the user whatever email it carries, and no other
 * account can be, by email or by user id. An email identifies a user only when the IdP vouches for it.
 */

const { db, insertUser, auditRows } = useHarness();

const LOCAL_ISSUER = 'contentos-local';
const IDP_ISSUER = 'https://idp.test/';
const idpSubject = () => `idp|${crypto.randomUUID()}`;

/** Through an app of the test's own so work deferred past the response (the binding) is done on return. */
async function me(token: string, overrides: Partial<Bindings> = {}): Promise<Response> {
  return callApp(createApp(), '/api/v1/me', { headers: { authorization: `Bearer ${token}` } }, overrides);
}

const token = (subject: { sub?: string; email?: string }, options?: SignOptions) => signToken(subject, options);

async function expectSignedInAs(res: Response, userId: string): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { user: { id: string } }).user.id).toBe(userId);
}

async function expectRefused(res: Response, code: string): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="contentos", error="invalid_token"');
  expect((await readProblem(res)).code).toBe(code);
}

async function bindingOf(userId: string) {
  const [row] = await db
    .select({ issuer: users.idpIssuer, subject: users.idpSubject, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  return row!;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('first sign-in binds (iss, sub)', () => {
  it('by verified email: the user is bound to the token subject, with an audit row naming it', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const sub = idpSubject();
    await expectSignedInAs(await me(await token({ sub, email: user.email })), user.id);
    expect(await bindingOf(user.id)).toMatchObject({ issuer: LOCAL_ISSUER, subject: sub });
    const [audit, ...more] = await auditRows({ type: 'user', id: user.id, action: 'user.identity_bound' });
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      organizationId: ORG_ID.demo,
      actorType: 'user',
      actorId: user.id,
      changes: { before: { idpIssuer: null, idpSubject: null }, after: { idpIssuer: LOCAL_ISSUER, idpSubject: sub } },
    });
    // The next sign-ins match the binding and write no second audit row.
    await expectSignedInAs(await me(await token({ sub, email: user.email })), user.id);
    expect(await auditRows({ type: 'user', id: user.id, action: 'user.identity_bound' })).toHaveLength(1);
  });

  it('by a subject that is the user id (the local provider): bound to (iss, user id)', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    await expectSignedInAs(await me(await token({ sub: user.id })), user.id);
    expect(await bindingOf(user.id)).toMatchObject({ issuer: LOCAL_ISSUER, subject: user.id });
  });

  it('a token without a subject signs an unbound user in by verified email, and binds nothing', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    await expectSignedInAs(await me(await token({ email: user.email })), user.id);
    expect(await bindingOf(user.id)).toMatchObject({ issuer: null, subject: null });
  });

  it('the database holds one user per (issuer, subject)', async () => {
    const [a, b] = await Promise.all([insertUser(ORG_ID.demo, 'viewer'), insertUser(ORG_ID.globex, 'viewer')]);
    const sub = idpSubject();
    await db.update(users).set({ idpIssuer: IDP_ISSUER, idpSubject: sub }).where(eq(users.id, a.id));
    await expect(
      db.update(users).set({ idpIssuer: IDP_ISSUER, idpSubject: sub }).where(eq(users.id, b.id)),
    ).rejects.toThrow();
    // Both or neither.
    await expect(db.update(users).set({ idpIssuer: IDP_ISSUER }).where(eq(users.id, b.id))).rejects.toThrow();
  });
});

describe('after the binding', () => {
  it('the same (iss, sub) stays the user when its email changes at the IdP; the stored email is kept', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const sub = idpSubject();
    await expectSignedInAs(await me(await token({ sub, email: user.email })), user.id);
    await expectSignedInAs(await me(await token({ sub, email: uniqueEmail('renamed') })), user.id);
    // Even unverified or absent: the subject, not the address, names the user now.
    const unverified = { claims: { email_verified: false } };
    await expectSignedInAs(await me(await token({ sub, email: uniqueEmail('renamed') }, unverified)), user.id);
    await expectSignedInAs(await me(await token({ sub })), user.id);
    expect(await bindingOf(user.id)).toMatchObject({ subject: sub, email: user.email });
  });

  it("401 identity_conflict for another subject carrying the user's verified email (takeover), logged", async () => {
    const victim = await insertUser(ORG_ID.demo, 'org_admin');
    const sub = idpSubject();
    await expectSignedInAs(await me(await token({ sub, email: victim.email })), victim.id);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const attacker = idpSubject();
    await expectRefused(
      await me(await token({ sub: attacker, email: victim.email }), { LOG_LEVEL: 'warn' }),
      'identity_conflict',
    );
    const logged = warn.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        event: 'identity_conflict',
        userId: victim.id,
        tokenIssuer: LOCAL_ISSUER,
        tokenSubject: attacker,
        matchedBy: 'email',
      }),
    );
    // The binding is untouched, and the owner still signs in.
    expect(await bindingOf(victim.id)).toMatchObject({ subject: sub });
    await expectSignedInAs(await me(await token({ sub, email: victim.email })), victim.id);
  });

  it('401 identity_conflict for a subject naming the user by id when the user is bound to another subject', async () => {
    const victim = await insertUser(ORG_ID.demo, 'editor');
    await expectSignedInAs(await me(await token({ sub: idpSubject(), email: victim.email })), victim.id);
    await expectRefused(await me(await token({ sub: victim.id })), 'identity_conflict');
  });

  it('401 identity_conflict for an email-only token naming a bound user', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    await expectSignedInAs(await me(await token({ sub: idpSubject(), email: user.email })), user.id);
    await expectRefused(await me(await token({ email: user.email })), 'identity_conflict');
  });

  it('401 identity_conflict for the same subject from another identity provider (the issuer is part of the binding)', async () => {
    const user = await insertUser(ORG_ID.globex, 'viewer');
    await expectSignedInAs(await me(await token({ sub: user.id })), user.id);
    const idpKey = inject('jwksPrivateJwks').find((k) => k.kid === 'idp-ec')!;
    const fromIdp = await token({ sub: user.id }, { privateJwk: idpKey, issuer: IDP_ISSUER });
    const viaIdp = { JWKS_URL: inject('jwksUrl'), JWT_LOCAL_PUBLIC_JWK: '', JWT_ISSUER: IDP_ISSUER };
    await expectRefused(await me(fromIdp, viaIdp), 'identity_conflict');
  });

  it('a suspended bound user is 403 by its own subject, but another subject learns only identity_conflict', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const sub = idpSubject();
    await expectSignedInAs(await me(await token({ sub, email: user.email })), user.id);
    await db.update(users).set({ status: 'suspended' }).where(eq(users.id, user.id));
    expect((await me(await token({ sub }))).status).toBe(403);
    await expectRefused(await me(await token({ sub: idpSubject(), email: user.email })), 'identity_conflict');
  });

  it(
    'two first sign-ins racing with different subjects: one binding, one audit row, the other subject refused after',
    needsPostgres,
    async () => {
      const user = await insertUser(ORG_ID.demo, 'editor');
      const [first, second] = [idpSubject(), idpSubject()];
      const racing = await Promise.all([first, second].map(async (sub) => me(await token({ sub, email: user.email }))));
      for (const res of racing) await res.body?.cancel();
      const { subject } = await bindingOf(user.id);
      expect([first, second]).toContain(subject);
      expect(await auditRows({ type: 'user', id: user.id, action: 'user.identity_bound' })).toHaveLength(1);
      const loser = subject === first ? second : first;
      await expectRefused(await me(await token({ sub: loser, email: user.email })), 'identity_conflict');
      await expectSignedInAs(await me(await token({ sub: subject!, email: user.email })), user.id);
    },
  );
});

describe('email_verified', () => {
  it.each([
    ['missing', {}],
    ['false', { email_verified: false }],
    ['the string "true"', { email_verified: 'true' }],
    ['1', { email_verified: 1 }],
  ])(
    '401 email_not_verified when email_verified is %s and only the email could name the user',
    async (_label, claims) => {
      const user = await insertUser(ORG_ID.demo, 'org_admin');
      const unverified = await signToken({ sub: idpSubject() }, { claims: { email: user.email, ...claims } });
      await expectRefused(await me(unverified), 'email_not_verified');
      // Nothing was bound by the attempt.
      expect(await bindingOf(user.id)).toMatchObject({ issuer: null, subject: null });
    },
  );

  it('401 email_not_verified for an email-only token of an unknown address too (no hint whether it exists)', async () => {
    const unverified = await signToken({}, { claims: { email: uniqueEmail('nobody'), email_verified: false } });
    await expectRefused(await me(unverified), 'email_not_verified');
  });

  it('401 unknown_principal for a verified email nobody has', async () => {
    await expectRefused(
      await me(await token({ sub: idpSubject(), email: uniqueEmail('nobody') })),
      'unknown_principal',
    );
  });
});
