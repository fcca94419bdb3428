import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { DomainError } from '../../lib/errors.ts';

const snake = (name: string) => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/**
 * Mass-assignment guard. Runs before the body schema (which would only call these fields unknown) and
 * names each server-owned field sent, in either spelling, so nobody believes a status or an owner was
 * set. A body that is not a JSON object (or not sent as JSON) is left to the validator to report.
 */
export function refuseServerOwnedFields(camelCaseNames: readonly string[]): MiddlewareHandler<AppEnv> {
  const names = new Set(camelCaseNames.flatMap((name) => [name, snake(name)]));
  return async (c, next) => {
    if (!/\bjson\b/i.test(c.req.header('content-type') ?? '')) return next();
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return next();
    }
    const sent =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? Object.keys(body).filter((key) => names.has(key))
        : [];
    if (sent.length > 0) {
      const fields = sent.map((key) => ({
        path: `body.${key}`,
        message: 'server-owned field',
        code: 'server_owned_field',
      }));
      throw new DomainError(
        'validation',
        `The request body failed validation: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
        {
          code: 'validation_failed',
          fields,
        },
      );
    }
    return next();
  };
}
