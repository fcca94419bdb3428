import { inject } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { DEV_WEBHOOK_SECRET_KEY } from '../../../src/config.ts';
import { organizationSso, type OrganizationSso } from '../../../src/db/schema/index.ts';
import { sealClientSecret } from '../../../src/services/sso/client-secret.ts';
import { unique } from '../harness.ts';

export const CLIENT_SECRET = 'test-client-secret';

/** An organization's SSO pointing at the local provider with a client id of its own (any is accepted). */
export async function configureSso(
  db: Database,
  organizationId: string,
  values: Partial<Omit<OrganizationSso, 'organizationId' | 'clientSecretEncrypted'>> & { clientSecret?: string } = {},
): Promise<OrganizationSso> {
  const { clientSecret = CLIENT_SECRET, ...rest } = values;
  const row = {
    organizationId,
    issuer: inject('oidcIssuer'),
    clientId: `client-${unique()}`,
    clientSecretEncrypted: await sealClientSecret(DEV_WEBHOOK_SECRET_KEY, organizationId, clientSecret),
    allowedDomains: [],
    ...rest,
  };
  const [saved] = await db
    .insert(organizationSso)
    .values(row)
    .onConflictDoUpdate({ target: organizationSso.organizationId, set: row })
    .returning();
  return saved!;
}

/** A fresh email domain, so no other test's organization claims it. */
export const uniqueDomain = () => `${unique()}.sso.example.com`;
