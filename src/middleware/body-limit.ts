import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { problemResponse } from '../lib/problem.ts';

/**
 * Refuses bodies over MAX_BODY_BYTES before anything parses them: by Content-Length when present,
 * and by counting the stream when the length is unknown (chunked uploads).
 */
export const limitBodySize: MiddlewareHandler<AppEnv> = (c, next) =>
  bodyLimit({
    maxSize: c.get('config').maxBodyBytes,
    onError: (c) =>
      problemResponse({
        code: 'payload_too_large',
        detail: `The request body exceeds the limit of ${c.get('config').maxBodyBytes} bytes.`,
        requestId: c.get('requestId'),
        origin: new URL(c.req.url).origin,
        instance: c.req.path,
      }),
  })(c, next);
