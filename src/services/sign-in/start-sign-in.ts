import { and, eq, sql } from 'drizzle-orm';
import { cookieSecretHash, newCookieSecret } from '../../auth/session-cookie.ts';
import { loginTransactions, organizations, organizationSso } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';
import { providerForSignIn } from '../sso/discovery.ts';
import { pkceChallenge, randomToken } from '../sso/oidc-protocol.ts';
import { emailDomain } from '../sso/sso-rules.ts';

export const CALLBACK_PATH = '/auth/callback';

export type SignInTarget = { slug: string } | { email: string };

/**
 * What a step-up sign-in asks the provider for (OpenID Connect Core §3.1.2.1): authenticate again, with one of
 * these context classes, within max_age. Whether it did is read from the ID token's amr/acr/auth_time, which the
 * session records and every request checks (docs/decisions/0036): nothing here is trusted.
 */
export interface StepUpRequest {
  prompt?: 'login' | undefined;
  acrValues?: string | undefined;
  maxAge?: number | undefined;
}

export interface SignInStart {
  /** The provider's authorization endpoint with this sign-in's parameters: where the browser goes next. */
  authorizationUrl: string;
  /** Goes into the login cookie; its hash is in the transaction, so only this browser can complete it. */
  browserSecret: string;
  maxAgeSeconds: number;
}

const notConfigured = (what: string) =>
  new DomainError('not_found', `${what} does not sign in through SSO.`, { code: 'sso_not_configured' });

interface Target {
  organizationId: string;
  issuer: string;
  clientId: string;
}

async function findTarget(ctx: ServiceContext, target: SignInTarget): Promise<Target> {
  const columns = {
    organizationId: organizationSso.organizationId,
    issuer: organizationSso.issuer,
    clientId: organizationSso.clientId,
  };
  const { db } = ctx.services;
  if ('slug' in target) {
    const [row] = await db
      .select(columns)
      .from(organizationSso)
      .innerJoin(organizations, eq(organizations.id, organizationSso.organizationId))
      .where(and(eq(organizations.slug, target.slug), eq(organizationSso.enabled, true)))
      .limit(1);
    if (!row) throw notConfigured(`No organization "${target.slug}" that`);
    return row;
  }
  const domain = emailDomain(target.email);
  if (!domain) throw notConfigured('This address');
  // Domains are not verified (docs/decisions/0035), so two organizations may list one: then the address decides nothing.
  const rows = await db
    .select(columns)
    .from(organizationSso)
    .where(and(sql`${organizationSso.allowedDomains} @> array[${domain}]::text[]`, eq(organizationSso.enabled, true)))
    .limit(2);
  if (rows.length === 0) throw notConfigured(`No organization with the email domain ${domain}`);
  if (rows.length > 1) {
    throw new DomainError(
      'conflict',
      `Several organizations sign in people of ${domain}; use your organization's page.`,
      {
        code: 'sso_domain_ambiguous',
      },
    );
  }
  return rows[0]!;
}

function stepUpParameters(stepUp: StepUpRequest | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  if (stepUp?.prompt !== undefined) params.prompt = stepUp.prompt;
  if (stepUp?.acrValues !== undefined) params.acr_values = stepUp.acrValues;
  if (stepUp?.maxAge !== undefined) params.max_age = String(stepUp.maxAge);
  return params;
}

/**
 * `/auth/{org}/login` and `/auth/login?email=`: authorization code flow with PKCE (S256), a state and a nonce,
 * all kept server-side in a single-use transaction for SSO_LOGIN_TIMEOUT_SECONDS.
 */
export async function startSignIn({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { target: SignInTarget; returnTo: string; origin: string; stepUp?: StepUpRequest };
}): Promise<SignInStart> {
  const { config } = ctx.services;
  const target = await findTarget(ctx, input.target);
  const provider = await providerForSignIn(target.issuer, config);
  const state = randomToken();
  const nonce = randomToken();
  const codeVerifier = randomToken();
  const browserSecret = newCookieSecret();
  const redirectUri = `${input.origin}${CALLBACK_PATH}`;
  const maxAgeSeconds = config.sso.loginTimeoutMs / 1000;
  await ctx.services.db.insert(loginTransactions).values({
    state,
    organizationId: target.organizationId,
    issuer: target.issuer,
    clientId: target.clientId,
    nonce,
    codeVerifier,
    redirectUri,
    returnTo: input.returnTo,
    browserBinding: await cookieSecretHash(browserSecret),
    expiresAt: sql`now() + make_interval(secs => ${maxAgeSeconds})`,
  });
  const url = new URL(provider.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: target.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await pkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...('email' in input.target ? { login_hint: input.target.email } : {}),
    ...stepUpParameters(input.stepUp),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { authorizationUrl: url.href, browserSecret, maxAgeSeconds };
}
