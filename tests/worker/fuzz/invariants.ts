import { Validator } from '@cfworker/json-schema';
import type { Operation, Schema } from './operations.ts';

/**
 * The invariants every response must keep, whatever was sent (ADR 0033): never a 5xx; only a status the
 * operation documents; every error problem+json with the request's id; every success shaped as its
 * documented schema says. The cross-tenant invariant needs two responses and lives in run-case.ts.
 */

export interface Received {
  status: number;
  headers: Headers;
  text: string;
}

const validators = new Map<string, Validator>();

function validate(key: string, schema: Schema, value: unknown): string[] {
  let validator = validators.get(key);
  if (!validator) {
    // shortCircuit off: the report lists every mismatch, not just the first.
    validator = new Validator(schema as never, '2020-12', false);
    validators.set(key, validator);
  }
  const result = validator.validate(value);
  if (result.valid) return [];
  // The leaf errors say what is wrong; the rest only repeat "a property/item did not match".
  const leaves = result.errors.filter((e) => !['properties', 'items', 'allOf', '$ref'].includes(e.keyword));
  return (leaves.length > 0 ? leaves : result.errors)
    .slice(0, 5)
    .map((e) => `${e.instanceLocation} ${e.keyword}: ${e.error}`);
}

/** The documented entry for a status: exact, a range (`4XX`), or `default`. */
export function documented(op: Operation, status: number) {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
}

const essence = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function violations(op: Operation, res: Received): string[] {
  const found: string[] = [];
  if (res.status >= 500) found.push(`${res.status}: a request must never find a 5xx`);
  const doc = documented(op, res.status);
  if (!doc) found.push(`${res.status} is not documented for ${op.operationId}`);
  const type = essence(res.headers.get('content-type'));
  const requestId = res.headers.get('x-request-id');

  if (res.status >= 400) {
    if (type !== 'application/problem+json') found.push(`error with content-type "${type}", not problem+json`);
    const body = parseJson(res.text);
    if (!body.ok) return [...found, 'error body is not JSON'];
    const problem = body.value as { requestId?: unknown; status?: unknown };
    if (typeof problem.requestId !== 'string' || problem.requestId === '') found.push('problem without a requestId');
    else if (requestId !== problem.requestId) found.push(`problem requestId ≠ X-Request-Id (${requestId})`);
    if (problem.status !== res.status) found.push(`problem status ${String(problem.status)} ≠ HTTP ${res.status}`);
    const schema = doc?.content[type];
    if (schema) found.push(...validate(`${op.operationId} ${res.status} ${type}`, schema, body.value));
    return found;
  }

  if (!doc) return found;
  const types = Object.keys(doc.content);
  if (types.length === 0) {
    if (res.text !== '') found.push(`${res.status} is documented without a body, but one came`);
    return found;
  }
  if (!types.includes(type)) {
    found.push(`${res.status} came as "${type}"; documented: ${types.join(', ')}`);
    return found;
  }
  if (type.endsWith('json')) {
    const body = parseJson(res.text);
    if (!body.ok) return [...found, `${res.status} body is not JSON`];
    found.push(...validate(`${op.operationId} ${res.status} ${type}`, doc.content[type]!, body.value));
  }
  return found;
}

/** `code` of a problem body, for comparing two error responses. */
export function problemCode(res: Received): string | undefined {
  const body = parseJson(res.text);
  return body.ok ? (body.value as { code?: string } | null)?.code : undefined;
}
