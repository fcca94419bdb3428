import type { ProblemStatus } from '../shared/problem-schema.ts';
import { problemResponses } from '../shared/problem-schema.ts';

/**
 * What app-wide middleware answers, written into every operation it runs for. A route declares what its
 * own handler and guards answer; these statuses come from code that runs before any route (src/app.ts,
 * src/routes/management.ts), so they are added here, once, for every route that exists now or later.
 * An operation's own entry for a status wins. The OpenAPI fuzz test (ADR 0033) finds any that is missing.
 */

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
}

const METHODS = new Set(['get', 'head', 'options', 'post', 'put', 'patch', 'delete']);
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** Statuses by cause, so each line of the rule says which middleware answers it. */
const rules: Array<{ applies: (method: string, path: string, op: Operation) => boolean; statuses: ProblemStatus[] }> = [
  // limitBodySize (src/middleware/body-limit.ts) runs on every request and counts any body, wanted or not.
  { applies: (method) => BODY_METHODS.has(method), statuses: [413] },
  // The JSON validator: a body that is not JSON is 400 malformed_json, another media type 415.
  { applies: (_m, _p, op) => op.requestBody?.content?.['application/json'] !== undefined, statuses: [400, 415] },
  // authenticate: no or a bad credential 401; a suspended user or a non-super_admin's X-Organization-Id 403;
  // a super_admin's X-Organization-Id malformed 400 or unknown 404. Then the organization's rate limit (429),
  // and the principal lookup needs the database (503 while it is unreachable).
  { applies: (_m, path) => path.startsWith('/api/v1/'), statuses: [400, 401, 403, 404, 429, 503] },
  // idempotency: a malformed key 400, the same key for a different request 422, a repeat still running 409.
  { applies: (method, path) => method === 'post' && path.startsWith('/api/v1/'), statuses: [400, 409, 422] },
];

const organizationHeader = {
  name: 'x-organization-id',
  in: 'header',
  required: false,
  description:
    'super_admin only: the organization to act in (its id). Malformed is 400, unknown 404; anyone else sending ' +
    'an organization other than their own gets 403.',
  schema: { type: 'string', format: 'uuid' },
};

const idempotencyHeader = {
  name: 'idempotency-key',
  in: 'header',
  required: false,
  description: 'Idempotency-Key: makes a retried POST safe; repeats within 24 h replay the first response.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

function addParameter(op: Operation, parameter: { name: string; in: string }) {
  const parameters = op.parameters ?? [];
  if (!parameters.some((p) => p.in === parameter.in && p.name.toLowerCase() === parameter.name)) {
    op.parameters = [...parameters, parameter];
  }
}

/** The generated document with middleware's responses and headers added to each operation. Mutates and returns it. */
export function documentMiddleware<D extends { paths?: object }>(doc: D): D {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const statuses = rules.filter((r) => r.applies(method, path, op)).flatMap((r) => r.statuses);
      const shared = problemResponses(...statuses) as Record<string, { description: string }>;
      const responses: Record<string, unknown> = { ...op.responses };
      for (const status of statuses) {
        responses[status] ??= {
          description: shared[status]!.description,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      // In status order, as a reader scans them.
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
      if (path.startsWith('/api/v1/')) addParameter(op, organizationHeader);
      if (method === 'post' && path.startsWith('/api/v1/')) addParameter(op, idempotencyHeader);
    }
  }
  return doc;
}
