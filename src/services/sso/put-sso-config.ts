import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import type { AppConfig } from '../../config.ts';
import { organizations, organizationSso } from '../../db/schema/index.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { organizationSessions, revokeSessions } from '../sessions/revoke-sessions.ts';
import { checkWebhookUrl, type UrlPolicy } from '../webhooks/url-guard.ts';
import { dohResolver } from '../webhooks/resolve-host.ts';
import { sealClientSecret } from './client-secret.ts';
import { discoverProvider, DiscoveryRefused, issuerInvalid, type DiscoveredProvider } from './discovery.ts';
import type { SsoSettings } from './get-sso-config.ts';
import { normalizeDomains, ssoSnapshot, type SsoConfigInput } from './sso-rules.ts';

/**
 * The Worker fetches what an organization's administrator names here (discovery, token endpoint, key set), so
 * those URLs pass the policy outbound webhooks pass (docs/decisions/0019): https to public hosts only (loopback
 * http under SSO_ALLOW_LOOPBACK_HTTP); any port, since providers such as Keycloak often serve on 8443.
 */
function providerUrlPolicy(config: AppConfig): UrlPolicy {
  return {
    allowLoopbackHttp: config.sso.allowLoopbackHttp,
    resolve: config.webhooks.dnsResolverUrl ? dohResolver(config.webhooks.dnsResolverUrl) : undefined,
    defaultPortOnly: false,
  };
}

async function assertProviderUrls(issuer: string, config: AppConfig): Promise<DiscoveredProvider> {
  const policy = providerUrlPolicy(config);
  const checkUrl = async (what: string, url: string) => {
    const verdict = await checkWebhookUrl(url, policy);
    if (verdict.ok) return;
    if (verdict.kind === 'resolver') {
      throw new DomainError('unavailable', 'The issuer host could not be checked against DNS right now.', {
        code: 'sso_provider_unavailable',
        retryAfterSeconds: 5,
      });
    }
    throw issuerInvalid(`the ${what} ${url.slice(0, 300)} is not allowed (${verdict.reason})`);
  };
  await checkUrl('issuer', issuer);
  let provider: DiscoveredProvider;
  try {
    // Fresh: an administrator fixing their provider must not be answered from a copy of the broken one.
    provider = await discoverProvider(issuer, config, true);
  } catch (err) {
    if (err instanceof DiscoveryRefused) throw issuerInvalid(err.message);
    throw err;
  }
  await checkUrl('authorization endpoint', provider.authorization_endpoint);
  await checkUrl('token endpoint', provider.token_endpoint);
  await checkUrl('key set (jwks_uri)', provider.jwks_uri);
  return provider;
}

/**
 * Creates or replaces the organization's SSO configuration; audited as `sso.update` (the secret itself never
 * appears, only that it changed). The provider's discovery document is read first, so a configuration that
 * cannot sign anyone in is refused now (422) rather than at the next sign-in. Turning SSO off ends the
 * organization's sessions, which SSO alone creates.
 */
export async function putSsoConfig({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: SsoConfigInput;
}): Promise<SsoSettings> {
  assertCan(ctx.actor, 'sso.manage');
  const { config } = ctx.services;
  const provider = await assertProviderUrls(input.issuer, config);
  const values = {
    // As the provider spells it: ID tokens are compared with this exact string.
    issuer: provider.issuer,
    clientId: input.clientId,
    allowedDomains: normalizeDomains(input.allowedDomains),
    defaultRole: input.defaultRole,
    roleClaim: input.roleClaim,
    roleMapping: input.roleMapping,
    enabled: input.enabled,
  };
  const sealed =
    input.clientSecret === undefined
      ? undefined
      : await sealClientSecret(config.webhooks.secretKey, ctx.organizationId, input.clientSecret);
  return ctx.services.db.transaction(async (tx) => {
    const [org] = await tx
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId));
    if (!org) throw notFound('organization');
    const [existing] = await tx
      .select()
      .from(organizationSso)
      .where(eq(organizationSso.organizationId, ctx.organizationId))
      .for('update');
    const clientSecretEncrypted = sealed ?? existing?.clientSecretEncrypted;
    if (!clientSecretEncrypted) {
      throw new DomainError('validation', 'The request body failed validation: body.clientSecret is required.', {
        code: 'validation_failed',
        fields: [{ path: 'body.clientSecret', message: 'required when SSO is first configured', code: 'required' }],
      });
    }
    const [saved] = await tx
      .insert(organizationSso)
      .values({ organizationId: ctx.organizationId, clientSecretEncrypted, ...values })
      .onConflictDoUpdate({ target: organizationSso.organizationId, set: { clientSecretEncrypted, ...values } })
      .returning();
    const secret = sealed
      ? {
          before: { clientSecret: existing ? 'previous' : null },
          after: { clientSecret: existing ? 'replaced' : 'set' },
        }
      : undefined;
    await recordAudit(tx, ctx, {
      action: 'sso.update',
      entityType: 'sso',
      entityId: ctx.organizationId,
      before: existing ? { ...ssoSnapshot(existing), ...secret?.before } : null,
      after: { ...ssoSnapshot(saved!), ...secret?.after },
    });
    if (existing?.enabled && !saved!.enabled) {
      await revokeSessions(tx, ctx, organizationSessions(ctx.organizationId), 'sso_removed');
    }
    return { slug: org.slug, config: saved! };
  });
}
