// Hono's environment for this app: the bindings and the per-request context variables (types only).
import type { Principal } from './auth/principal.ts';
import type { AppConfig, Bindings } from './config.ts';
import type { Services } from './services/container.ts';
import type { Tenant } from './services/identity/resolve-principal.ts';
import type { RateLimitOutcome } from './services/rate-limit/check-rate-limit.ts';
import type { SessionInfo } from './services/sessions/session-rules.ts';

export interface AppVariables {
  requestId: string;
  config: AppConfig;
  services: Services;
  /** Set once the caller's organization is known; logged per request. */
  organizationId: string | undefined;
  /** Set by authenticate() on /api/v1; undefined on public routes. */
  principal: Principal | undefined;
  tenant: Tenant | undefined;
  /** Set when the request was authenticated by the session cookie rather than a bearer credential. */
  session: SessionInfo | undefined;
  /** Rate-limit outcomes of this request, written out as RateLimit headers. */
  rateLimits: RateLimitOutcome[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}
