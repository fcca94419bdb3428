import { eq, like } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { organizationSso, users } from '../../src/db/schema/index.ts';
import { sealClientSecret } from '../../src/services/sso/client-secret.ts';
import { LEGACY_LOCAL_ISSUER } from './keys.ts';
import type { PickableUser } from './oidc-provider.ts';
import { SEED_ORGS, seedOrgId, seedRoles, seedUserEmail, seedUserId } from './seed-ids.ts';

/**
 * `demo` and `globex` sign in through the local provider: demo provisions newcomers of demo.example.com as
 * viewers (editors and admins by the `groups` claim), globex is invitation only. Both clients are registered
 * with the provider under these secrets.
 */
export const LOCAL_SSO = {
  demo: {
    clientId: 'contentos-demo',
    clientSecret: 'local-demo-secret',
    allowedDomains: ['demo.example.com'],
    defaultRole: 'viewer',
    roleClaim: 'groups',
    roleMapping: { 'contentos-editors': 'editor', 'contentos-admins': 'org_admin' },
  },
  globex: {
    clientId: 'contentos-globex',
    clientSecret: 'local-globex-secret',
    allowedDomains: ['globex.example.com'],
    defaultRole: null,
    roleClaim: null,
    roleMapping: {},
  },
} as const;

export const localSsoClients = (): Record<string, string> =>
  Object.fromEntries(Object.values(LOCAL_SSO).map((c) => [c.clientId, c.clientSecret]));

/** Everyone the local provider's page offers: the seeded users, subject = user id. */
export const seededPickableUsers = (): PickableUser[] =>
  SEED_ORGS.flatMap((org) =>
    seedRoles(org.slug).map((role) => ({
      id: seedUserId(org.slug, role),
      email: seedUserEmail(org.slug, role),
      name: `${org.name} ${role}`,
      role,
      organization: org.slug,
    })),
  );

/**
 * Idempotent, and local only: a configuration still pointing at a loopback provider is brought up to date
 * (another OIDC_PORT), one an administrator pointed elsewhere is left alone. Bindings to the issuer local
 * tokens had before the provider existed are cleared, so those users bind afresh instead of conflicting.
 */
export async function seedLocalSso(db: Database, issuer: string, encryptionKey: string): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [slug, sso] of Object.entries(LOCAL_SSO)) {
      const organizationId = seedOrgId(slug);
      const values = {
        issuer,
        clientId: sso.clientId,
        clientSecretEncrypted: await sealClientSecret(encryptionKey, organizationId, sso.clientSecret),
        allowedDomains: [...sso.allowedDomains],
        defaultRole: sso.defaultRole,
        roleClaim: sso.roleClaim,
        roleMapping: { ...sso.roleMapping },
      };
      await tx
        .insert(organizationSso)
        .values({ organizationId, ...values })
        .onConflictDoUpdate({
          target: organizationSso.organizationId,
          set: values,
          setWhere: like(organizationSso.issuer, 'http://127.0.0.1:%'),
        });
    }
    await tx.update(users).set({ idpIssuer: null, idpSubject: null }).where(eq(users.idpIssuer, LEGACY_LOCAL_ISSUER));
  });
}
