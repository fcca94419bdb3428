import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { DomainError } from '../lib/errors.ts';
import { describe } from '../lib/logger.ts';
import { sha256Hex } from '../lib/sha256.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from '../services/idempotency/idempotency-store.ts';
import { hashIdempotencyKey, openResponseBody, sealResponseBody } from '../services/idempotency/sealed-response.ts';
import { serviceContext } from './request-context.ts';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Headers worth replaying; the rest (request id, rate limits) describe the new request. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header), scoped per organization and
 * principal, kept 24 h: a repeat replays the first response and creates nothing; the same key with a
 * different request is 422; a repeat while the first is still running is 409.
 */
export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header('idempotency-key');
  const principal = c.get('principal');
  const tenant = c.get('tenant');
  if (c.req.method !== 'POST' || key === undefined || !principal || !tenant) return next();
  if (!KEY_FORMAT.test(key)) {
    throw new DomainError('validation', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      code: 'validation_failed',
      fields: [
        { path: 'header.idempotency-key', message: 'must be 1-255 visible ASCII characters', code: 'invalid_format' },
      ],
    });
  }
  const ctx = serviceContext(c);
  // Only a hash of the client's key is stored; the raw key seals the stored response (sealed-response.ts).
  const scope = { organizationId: tenant.id, principalId: principal.id, key: await hashIdempotencyKey(key) };
  const sealScope = `${tenant.id}:${principal.id}`;
  const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
  const claim = await claimIdempotencyKey({ ctx, input: { ...scope, requestHash } });

  if (claim.kind === 'mismatch') {
    throw new DomainError('rule_violation', 'This Idempotency-Key was already used with a different request.', {
      code: 'idempotency_key_reused',
    });
  }
  if (claim.kind === 'in_flight') {
    throw new DomainError('conflict', 'A request with this Idempotency-Key is still being processed.', {
      code: 'idempotency_request_in_flight',
      retryAfterSeconds: 1,
    });
  }
  if (claim.kind === 'replay') {
    const body = claim.body ? await openResponseBody(claim.body, key, sealScope) : null;
    return new Response(body, { status: claim.status, headers: { ...claim.headers, 'idempotent-replayed': 'true' } });
  }

  await next();
  const status = c.res.status;
  const owned = { ...scope, ownerToken: claim.ownerToken };
  // The change is done (or refused) by now, whatever happens to its record: the client gets that answer. A
  // record that cannot be written (the database went away) leaves the claim in flight until its lock runs out.
  try {
    if (status >= 200 && status < 300) {
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => (c.res.headers.has(name) ? [[name, c.res.headers.get(name)!]] : [])),
      );
      const body = await sealResponseBody(await c.res.clone().text(), key, sealScope);
      const completed = await completeIdempotencyKey({ ctx, input: { ...owned, status, headers, body } });
      // The request ran past its lock and a retry took the key over: that retry's outcome is the one kept.
      if (!completed) ctx.logger.log('warn', 'idempotency claim lost before completion', { status });
    } else {
      await releaseIdempotencyKey({ ctx, input: owned });
    }
  } catch (err) {
    ctx.logger.log('warn', 'idempotency record not written; the claim stays in flight until its lock expires', {
      status,
      error: describe(err),
    });
  }
};
