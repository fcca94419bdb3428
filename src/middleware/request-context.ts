import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices, type ServiceContext } from '../services/container.ts';

// Accept a caller's id only if it is short and printable, so logs cannot be forged or flooded.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Request id in and out, configuration, per-request clients, and one structured log line per request.
 * It runs first, so the log line sees the final status even when a later handler threw.
 *
 * Everything reads these variables with `c.get(…)`, never `c.var.…`: hono's `c.var` copies every
 * variable into a new object on each access (~2 % of a delivery hit's CPU, docs/performance.md).
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('organizationId', undefined);
  c.set('principal', undefined);
  c.set('tenant', undefined);
  c.set('session', undefined);
  c.set('rateLimits', []);

  const config = loadConfig(c.env);
  const logger = createLogger(config.logLevel, { requestId });
  const services = createServices(c.env, config, logger);
  c.set('config', config);
  c.set('services', services);
  try {
    await next();
  } finally {
    c.header('x-request-id', requestId);
    const disposal = services.dispose();
    try {
      c.executionCtx.waitUntil(disposal);
    } catch {
      // app.request() in unit tests has no execution context; the promise still settles on its own.
    }
    const status = c.res.status;
    logger.log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      organizationId: c.get('organizationId') ?? null,
    });
  }
};

/** The service context of any request (authenticated or not): its services, logger and request id. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const services = c.get('services');
  return { services, logger: services.logger, requestId: c.get('requestId') };
}
