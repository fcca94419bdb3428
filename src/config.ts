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
}

/**
 * Development and tests only (production refuses to start without its own key): secrets encrypted with it
 * protect nothing, which is fine for the seeded local data `npm run dev` and the tests create.
 */
export const DEV_WEBHOOK_SECRET_KEY = 'Y29udGVudG9zLWRldi13ZWJob29rLXNlY3JldC1rZXk=';

export type Bindings = Env & Secrets;

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

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
  };
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
}

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
  };
  parsed.set(env, config);
  return config;
}
