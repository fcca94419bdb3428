import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.ts';
import { DomainError } from '../../lib/errors.ts';

// Clients send either spelling; both are refused by name, so nobody believes a status or owner was set.
const SERVER_OWNED = ['id', 'organizationId', 'creatorId', 'status', 'qualityScore', 'complianceStatus', 'publishedAt', 'engagementStats', 'version', 'createdAt', 'updatedAt'];
const SERVER_OWNED_NAMES = new Set(SERVER_OWNED.flatMap((name) => [name, name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)]));

/**
 * Runs before the body schema (which would only call these fields unknown) and names each server-owned
 * field sent. A body that is not a JSON object (or not sent as JSON) is left to the validator to report.
 */
export const refuseServerOwnedFields: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!/\bjson\b/i.test(c.req.header('content-type') ?? '')) return next();
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return next();
  }
  const sent = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).filter((key) => SERVER_OWNED_NAMES.has(key)) : [];
  if (sent.length > 0) {
    const fields = sent.map((key) => ({ path: `body.${key}`, message: 'server-owned field', code: 'server_owned_field' }));
    throw new DomainError('validation', `The request body failed validation: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, {
      code: 'validation_failed',
      fields,
    });
  }
  return next();
};
