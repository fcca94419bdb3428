import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { errorToProblem, validationProblem } from './lib/error-mapping.ts';
import { createLogger } from './lib/logger.ts';
import { problemResponse } from './lib/problem.ts';
import { allowedMethods } from './lib/route-methods.ts';
import { limitBodySize } from './middleware/body-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { registerRoutes } from './routes/index.ts';

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    // Every schema failure becomes the same problem+json, naming each field and where it came from.
    defaultHook: (result, c) => {
      if (!result.success) {
        const ctx = { requestId: c.get('requestId') ?? 'unknown', path: c.req.path, origin: new URL(c.req.url).origin };
        return validationProblem(result.error, result.target, ctx);
      }
    },
  });

  app.use('*', requestContext);
  app.use('*', limitBodySize);

  registerRoutes(app);

  app.notFound((c) => {
    const requestId = c.get('requestId') ?? 'unknown';
    const allow = allowedMethods(app.routes, c.req.path);
    if (allow.length > 0 && c.req.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { allow: allow.join(', ') } });
    }
    if (allow.length > 0) {
      return problemResponse({
        code: 'method_not_allowed',
        detail: `${c.req.method} is not supported on ${c.req.path}; use ${allow.join(', ')}.`,
        requestId,
        origin: new URL(c.req.url).origin,
        instance: c.req.path,
        headers: { allow: allow.join(', ') },
      });
    }
    return problemResponse({
      code: 'route_not_found',
      detail: `No route matches ${c.req.method} ${c.req.path}.`,
      requestId,
      origin: new URL(c.req.url).origin,
      instance: c.req.path,
    });
  });

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? crypto.randomUUID();
    // The logger may not exist yet when configuration itself failed to load.
    const logger = c.get('services')?.logger ?? createLogger('info', { requestId });
    const res = errorToProblem(err, {
      requestId,
      path: c.req.path,
      origin: new URL(c.req.url).origin,
      log: (level, msg, fields) => logger.log(level, msg, { ...fields, method: c.req.method, path: c.req.path }),
    });
    res.headers.set('x-request-id', requestId);
    return res;
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
