// The Worker's configuration: a leaf module (it imports nothing of the app), so anything may read it.
import { z } from 'zod';

/** Secrets are not in wrangler.toml, so `wrangler types` cannot see them; they are declared here. */
export interface Secrets {
  DATABASE_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Local development only: public JWK (JSON) of the key `npm run dev` writes. */
  JWT_LOCAL_PUBLIC_JWK?: string;
  /** AES-256-GCM key (base64, 32 bytes) that encrypts webhook signing secrets at rest. Required in production. */
  WEBHOOK_SECRET_KEY?: string;
  /** HMAC key (at least 32 characters) that signs delivery list cursors. Required in production. */
  DELIVERY_CURSOR_SECRET?: string;
}

/**
 * Development and tests only (production refuses to start without its own key): secrets encrypted with it
 * protect nothing, which is fine for the seeded local data `npm run dev` and the tests create.
 */
export const DEV_WEBHOOK_SECRET_KEY = 'Y29udGVudG9zLWRldi13ZWJob29rLXNlY3JldC1rZXk=';

/**
 * Development and tests only, like the webhook key above: a cursor signed with a published key proves
 * nothing, so production refuses to start with it (docs/decisions/0031).
 */
export const DEV_DELIVERY_CURSOR_SECRET = 'contentos-dev-delivery-cursor-secret-not-for-production';

export type Bindings = Env & Secrets;

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** `a, b,c` → ['a', 'b', 'c'], each checked by `item`; an absent or empty value is `fallback`. */
const commaList = <T extends z.ZodType<string>>(item: T, fallback: readonly string[]) =>
  z.preprocess(
    (value) =>
      typeof value === 'string' && value.trim() !== ''
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '')
        : [...fallback],
    z.array(item).min(1),
  );

/**
 * RFC 8176 methods that are a second factor or stronger than a password alone: mfa (several factors), mca
 * (several channels), otp, hwk/swk (proof of a hardware or software key: passkeys, FIDO); totp and fido are
 * not registered but some identity providers send them.
 */
export const DEFAULT_MFA_AMR_VALUES = ['mfa', 'mca', 'otp', 'hwk', 'swk', 'totp', 'fido'] as const;
/** The OpenID PAPE multi-factor policy: the acr most identity providers accept in `acr_values` for "use MFA". */
export const DEFAULT_MFA_ACR_VALUES = ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'] as const;

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** A count per window (requests, failures, events): positive and bounded, with its default. */
const windowCount = (fallback: number) => z.coerce.number().int().min(1).max(10_000_000).default(fallback);

const configSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000),
  /** How long one isolate reuses its /health probes (0: probe on every call). */
  HEALTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  NEON_WS_PROXY: optionalString,
  DATABASE_URL: optionalString.refine((url) => url === undefined || /^postgres(ql)?:\/\//.test(url), {
    message: 'must be a postgres:// connection string',
  }),
  UPSTASH_REDIS_REST_URL: optionalString.refine((url) => url === undefined || /^https?:\/\//.test(url), {
    message: 'must be an http(s) URL',
  }),
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  JWKS_URL: optionalString,
  JWT_LOCAL_PUBLIC_JWK: optionalString,
  /** Signature algorithms a token may use: a subset of the asymmetric three (never HS*, never none). */
  JWT_ALGORITHMS: commaList(z.enum(ASYMMETRIC_ALGORITHMS), ASYMMETRIC_ALGORITHMS),
  /** `typ` header values accepted, compared as jose does (case-insensitive, `application/` optional). */
  JWT_ACCEPTED_TYPES: commaList(z.string().regex(/^[A-Za-z0-9.+/-]{1,60}$/), ['at+jwt']),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  JWKS_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  JWKS_STALE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(6 * 3600),
  JWKS_REFRESH_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  CONTENT_CREATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(100),
  DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE: windowCount(1200),
  DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE: windowCount(6000),
  AUTH_FAILURE_LIMIT_PER_IP: windowCount(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE: windowCount(300),
  ENGAGEMENT_EVENTS_PER_IP_PER_HOUR: windowCount(3000),
  ENGAGEMENT_EVENTS_PER_TOKEN_PER_MINUTE: windowCount(10_000),
  ENGAGEMENT_EVENTS_PER_TOKEN_PER_HOUR: windowCount(300_000),
  /** Redis key namespace of the rate limiters, so environments (or test runs) sharing one Redis never mix. */
  RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .default('rl'),
  WEBHOOK_SECRET_KEY: optionalString.refine((key) => key === undefined || /^[A-Za-z0-9+/]{43}=$/.test(key), {
    message: 'must be 32 bytes, base64-encoded',
  }),
  /** Local development only: webhooks may target http://localhost and 127.0.0.1 (a receiver on this machine). */
  WEBHOOK_ALLOW_LOOPBACK_HTTP: z.enum(['true', 'false']).default('false'),
  /** DNS-over-HTTPS JSON endpoint used to check where a webhook host resolves; empty skips the check. */
  WEBHOOK_DNS_RESOLVER_URL: optionalString.refine((url) => url === undefined || /^https?:\/\//.test(url), {
    message: 'must be an http(s) URL',
  }),
  /** Browser sessions (docs/decisions/0035): unused this long, or this old, they end. */
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(8 * 3600),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(24 * 3600),
  /** How long a browser has between `/auth/{org}/login` and the callback. */
  SSO_LOGIN_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  /** Each request to an organization's identity provider (discovery, token endpoint) at most this long. */
  SSO_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
  /** Local development and tests only: an identity provider at http://127.0.0.1 (the local provider). */
  SSO_ALLOW_LOOPBACK_HTTP: z.enum(['true', 'false']).default('false'),
  DELIVERY_CURSOR_SECRET: optionalString.refine((secret) => secret === undefined || secret.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  /** How long the delivery API remembers that a slug, item or token does not exist (KV refuses TTLs under 60 s). */
  DELIVERY_NEGATIVE_TTL_SECONDS: z.coerce.number().int().min(60).max(300).default(120),
  /** `amr` values (RFC 8176) that show the user used more than a password (docs/decisions/0036). */
  MFA_AMR_VALUES: commaList(z.string().regex(/^[\x21-\x7e]{1,64}$/), DEFAULT_MFA_AMR_VALUES),
  /**
   * `acr` values that mean multi-factor at the identity provider, all named in a 401's `acr_values`: printable,
   * without space, comma, quote or backslash, so the challenge header needs no escaping.
   */
  MFA_ACR_VALUES: commaList(z.string().regex(/^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{1,255}$/), DEFAULT_MFA_ACR_VALUES),
  /** Built-in TOTP codes (and recovery codes) a user may try per minute, right or wrong. */
  MFA_VERIFY_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(60).default(5),
  /** The issuer an authenticator app shows next to the account (`otpauth://` label and parameter). */
  MFA_TOTP_ISSUER: z
    .string()
    .regex(/^[^:]{1,60}$/, 'at most 60 characters, no colon')
    .default('ContentOS'),
  /** Audit entries one verification call (or one organization in one cron run) rehashes: bounds its time. */
  AUDIT_VERIFY_MAX_ENTRIES: z.coerce.number().int().min(100).max(100_000).default(10_000),
  /** Organizations whose new audit entries one cron run verifies (the rest wait for the next minute). */
  AUDIT_CHAIN_CRON_ORGANIZATIONS: z.coerce.number().int().min(1).max(10_000).default(50),
  /** TTL of the delivery entries the event consumer writes (items, access): the backstop behind re-validation. */
  DELIVERY_ENTRY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
  /** A delivery entry older than this is checked against Postgres after the response that read it. */
  DELIVERY_REVALIDATE_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .default(300),
  /** Dead letters the cron re-drives per minute at most (the rest wait for the next tick). */
  DEAD_LETTER_REDRIVE_LIMIT: z.coerce.number().int().min(1).max(1000).default(100),
});

export interface AppConfig {
  appEnv: 'development' | 'test' | 'production';
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  maxBodyBytes: number;
  healthTimeoutMs: number;
  /** Per-isolate reuse of /health probes, in milliseconds (0: none). */
  healthCacheMs: number;
  databaseUrl: string | undefined;
  /** host:port/path of the local WebSocket proxy; undefined means talk to Neon directly over TLS. */
  neonWsProxy: string | undefined;
  upstash: { url: string; token: string } | undefined;
  jwt: {
    issuer: string | undefined;
    audience: string | undefined;
    jwksUrl: string | undefined;
    localPublicJwk: string | undefined;
    algorithms: AsymmetricAlgorithm[];
    /** Normalized: lower case, without `application/`. */
    acceptedTypes: string[];
    clockToleranceSeconds: number;
  };
  /** The identity provider's key set (docs/decisions/0032); durations in milliseconds. */
  jwks: { maxAgeMs: number; staleTtlMs: number; cooldownMs: number; timeoutMs: number };
  rateLimits: {
    apiPerMinute: number;
    contentCreatePerHour: number;
    prefix: string;
    /** Delivery API requests per client address and per delivery token (docs/decisions/0029). */
    delivery: { perIpPerMinute: number; perTokenPerMinute: number };
    /** Failed authentications per client address within the window, before credentials are refused unseen. */
    authFailures: { limit: number; windowSeconds: number };
    /** Engagement events accepted per client address and per delivery token. */
    engagement: { perIpPerMinute: number; perIpPerHour: number; perTokenPerMinute: number; perTokenPerHour: number };
  };
  webhooks: {
    /** Base64 AES-256-GCM key for signing secrets at rest. */
    secretKey: string;
    allowLoopbackHttp: boolean;
    /** DoH JSON endpoint (`?name=…&type=A`); undefined: host names are not resolved before sending. */
    dnsResolverUrl: string | undefined;
  };
  /** Browser sessions; durations in milliseconds. */
  sessions: { idleTimeoutMs: number; absoluteTimeoutMs: number };
  /** Organizations' identity providers (docs/decisions/0035). */
  sso: { loginTimeoutMs: number; httpTimeoutMs: number; allowLoopbackHttp: boolean };
  delivery: {
    /** HMAC key of list cursors (docs/decisions/0031). */
    cursorSecret: string;
    /** TTL of the entries that say a slug, item or token does not exist. */
    negativeTtlSeconds: number;
    /** TTL of consumer-written item and access entries. */
    entryTtlSeconds: number;
    /** Age after which a read entry is re-checked against Postgres in the background. */
    revalidateAfterSeconds: number;
  };
  /** Verification of the audit log's hash chains (docs/decisions/0030). */
  auditChain: { verifyMaxEntries: number; cronOrganizations: number };
  deadLetters: { redriveLimit: number };
  /** Multi-factor authentication (docs/decisions/0036). */
  mfa: MfaConfig;
}

export interface MfaConfig {
  /** What counts as multi-factor in a token or session: any of these `amr` values, or one of these `acr`s. */
  recognition: { amrValues: readonly string[]; acrValues: readonly string[] };
  verifyAttemptsPerMinute: number;
  totpIssuer: string;
}

/** `typ` as RFC 8725 §3.11 and jose compare it: case-insensitive, the `application/` prefix optional. */
export const normalizeTokenType = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

// The env object is stable for the life of an isolate, so it is parsed once, not per request.
const parsed = new WeakMap<object, AppConfig>();

export function loadConfig(env: Bindings): AppConfig {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigurationError(`invalid worker configuration: ${fields}`);
  }
  const v = result.data;
  if (v.APP_ENV === 'production' && v.NEON_WS_PROXY) {
    // A plain-WebSocket proxy is a local-development tool; production must reach Neon over TLS.
    throw new ConfigurationError('invalid worker configuration: NEON_WS_PROXY must be empty in production');
  }
  if (v.APP_ENV === 'production' && (!v.JWKS_URL || !v.JWT_ISSUER || !v.JWT_AUDIENCE)) {
    // Production tokens come from the identity provider, pinned to its issuer and our audience.
    throw new ConfigurationError(
      'invalid worker configuration: JWKS_URL, JWT_ISSUER and JWT_AUDIENCE are required in production',
    );
  }
  if (v.JWKS_STALE_TTL_SECONDS < v.JWKS_CACHE_MAX_AGE_SECONDS) {
    // The stale window extends the fresh one; shorter would make a fresh key set unusable before it ages.
    throw new ConfigurationError(
      'invalid worker configuration: JWKS_STALE_TTL_SECONDS must be at least JWKS_CACHE_MAX_AGE_SECONDS',
    );
  }
  if (v.APP_ENV === 'production' && (!v.WEBHOOK_SECRET_KEY || v.WEBHOOK_SECRET_KEY === DEV_WEBHOOK_SECRET_KEY)) {
    // The development key is public (it is in this file); production secrets need a key of their own.
    throw new ConfigurationError('invalid worker configuration: WEBHOOK_SECRET_KEY is required in production');
  }
  if (v.APP_ENV === 'production' && (v.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true' || !v.WEBHOOK_DNS_RESOLVER_URL)) {
    // Production webhooks go to public https hosts only, checked where they resolve (docs/decisions/0019).
    throw new ConfigurationError(
      'invalid worker configuration: in production WEBHOOK_ALLOW_LOOPBACK_HTTP must be false and WEBHOOK_DNS_RESOLVER_URL set',
    );
  }
  if (v.SESSION_ABSOLUTE_TIMEOUT_SECONDS < v.SESSION_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigurationError(
      'invalid worker configuration: SESSION_ABSOLUTE_TIMEOUT_SECONDS must be at least SESSION_IDLE_TIMEOUT_SECONDS',
    );
  }
  if (v.APP_ENV === 'production' && v.SSO_ALLOW_LOOPBACK_HTTP === 'true') {
    // Identity providers are reached over https only in production; http to loopback is the local provider.
    throw new ConfigurationError('invalid worker configuration: SSO_ALLOW_LOOPBACK_HTTP must be false in production');
  }
  if (
    v.APP_ENV === 'production' &&
    (!v.DELIVERY_CURSOR_SECRET || v.DELIVERY_CURSOR_SECRET === DEV_DELIVERY_CURSOR_SECRET)
  ) {
    // With the public development key anyone could sign a cursor, and fill KV with pages of their choosing.
    throw new ConfigurationError('invalid worker configuration: DELIVERY_CURSOR_SECRET is required in production');
  }
  const config: AppConfig = {
    appEnv: v.APP_ENV,
    logLevel: v.LOG_LEVEL,
    maxBodyBytes: v.MAX_BODY_BYTES,
    healthTimeoutMs: v.HEALTH_TIMEOUT_MS,
    healthCacheMs: v.HEALTH_CACHE_SECONDS * 1000,
    databaseUrl: v.DATABASE_URL,
    neonWsProxy: v.NEON_WS_PROXY,
    upstash:
      v.UPSTASH_REDIS_REST_URL && v.UPSTASH_REDIS_REST_TOKEN
        ? { url: v.UPSTASH_REDIS_REST_URL, token: v.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    jwt: {
      issuer: v.JWT_ISSUER,
      audience: v.JWT_AUDIENCE,
      jwksUrl: v.JWKS_URL,
      localPublicJwk: v.JWT_LOCAL_PUBLIC_JWK,
      algorithms: [...new Set(v.JWT_ALGORITHMS)],
      acceptedTypes: [...new Set(v.JWT_ACCEPTED_TYPES.map(normalizeTokenType))],
      clockToleranceSeconds: v.JWT_CLOCK_TOLERANCE_SECONDS,
    },
    jwks: {
      maxAgeMs: v.JWKS_CACHE_MAX_AGE_SECONDS * 1000,
      staleTtlMs: v.JWKS_STALE_TTL_SECONDS * 1000,
      cooldownMs: v.JWKS_REFRESH_COOLDOWN_SECONDS * 1000,
      timeoutMs: v.JWKS_TIMEOUT_MS,
    },
    rateLimits: {
      apiPerMinute: v.API_RATE_LIMIT_PER_MINUTE,
      contentCreatePerHour: v.CONTENT_CREATE_LIMIT_PER_HOUR,
      prefix: v.RATE_LIMIT_PREFIX,
      delivery: {
        perIpPerMinute: v.DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE,
        perTokenPerMinute: v.DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE,
      },
      authFailures: { limit: v.AUTH_FAILURE_LIMIT_PER_IP, windowSeconds: v.AUTH_FAILURE_WINDOW_SECONDS },
      engagement: {
        perIpPerMinute: v.ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE,
        perIpPerHour: v.ENGAGEMENT_EVENTS_PER_IP_PER_HOUR,
        perTokenPerMinute: v.ENGAGEMENT_EVENTS_PER_TOKEN_PER_MINUTE,
        perTokenPerHour: v.ENGAGEMENT_EVENTS_PER_TOKEN_PER_HOUR,
      },
    },
    webhooks: {
      secretKey: v.WEBHOOK_SECRET_KEY ?? DEV_WEBHOOK_SECRET_KEY,
      allowLoopbackHttp: v.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true',
      dnsResolverUrl: v.WEBHOOK_DNS_RESOLVER_URL,
    },
    sessions: {
      idleTimeoutMs: v.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
      absoluteTimeoutMs: v.SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000,
    },
    sso: {
      loginTimeoutMs: v.SSO_LOGIN_TIMEOUT_SECONDS * 1000,
      httpTimeoutMs: v.SSO_HTTP_TIMEOUT_MS,
      allowLoopbackHttp: v.SSO_ALLOW_LOOPBACK_HTTP === 'true',
    },
    delivery: {
      cursorSecret: v.DELIVERY_CURSOR_SECRET ?? DEV_DELIVERY_CURSOR_SECRET,
      negativeTtlSeconds: v.DELIVERY_NEGATIVE_TTL_SECONDS,
      entryTtlSeconds: v.DELIVERY_ENTRY_TTL_SECONDS,
      revalidateAfterSeconds: Math.min(v.DELIVERY_REVALIDATE_AFTER_SECONDS, v.DELIVERY_ENTRY_TTL_SECONDS),
    },
    auditChain: {
      verifyMaxEntries: v.AUDIT_VERIFY_MAX_ENTRIES,
      cronOrganizations: v.AUDIT_CHAIN_CRON_ORGANIZATIONS,
    },
    deadLetters: { redriveLimit: v.DEAD_LETTER_REDRIVE_LIMIT },
    mfa: {
      recognition: { amrValues: [...new Set(v.MFA_AMR_VALUES)], acrValues: [...new Set(v.MFA_ACR_VALUES)] },
      verifyAttemptsPerMinute: v.MFA_VERIFY_ATTEMPTS_PER_MINUTE,
      totpIssuer: v.MFA_TOTP_ISSUER,
    },
  };
  parsed.set(env, config);
  return config;
}
