import { generateSync } from 'json-schema-faker';
import { inject } from 'vitest';
import type { Headers } from '../harness.ts';
import { poolOf, type Operation, type Schema } from './operations.ts';
import { uuidFrom, type Rng } from './rng.ts';
import { operationPool, type Caller, type World } from './world.ts';

/**
 * One request before it is sent: built from the document (json-schema-faker fills parameters and the
 * body from their schemas), then perhaps broken by one mutation (mutations.ts), then serialized.
 */

/** A JSON number literal JSON.stringify cannot write (1e400, 30 digits, -0), spliced into the body text. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export type Body =
  | { kind: 'json'; value: unknown }
  /** Sent as it is: malformed JSON, or anything the mutation wrote by hand. */
  | { kind: 'raw'; text: string }
  /** `bytes` bytes of JSON from a stream, so the request has no Content-Length. */
  | { kind: 'stream'; bytes: number };

export interface Draft {
  op: Operation;
  caller: Caller;
  /** Path parameter → its value, not yet percent-encoded. */
  path: Record<string, string>;
  /** Path parameters holding an id of organization B. */
  foreign: Set<string>;
  query: Array<[string, string]>;
  headers: Headers;
  body?: Body;
  /** What was done to the request (the mutation and its choices), for the failure report. */
  notes: string[];
}

/** What one fuzz lane remembers between its cases: ETags seen, ids it created, cursors it was given. */
export interface LaneMemory {
  etags: Map<string, string>;
  created: Map<string, string[]>;
  cursors: string[];
}

export type Target = 'own' | 'foreign' | 'random';

// Fixed, future dates: a generated request is the same request next year, and "in the future" holds for years.
const FAKER_DATES = { minDateTime: '2031-01-01T00:00:00Z', maxDateTime: '2035-12-31T23:59:59Z' };

/**
 * URLs point at the test's own webhook receiver (loopback http is allowed in tests) half the time, so a
 * generated webhook can be created, and nothing generated ever calls a host on the internet.
 */
const fakeUri = (random: { bool(): boolean; int(min: number, max: number): number }) =>
  random.bool()
    ? `${inject('webhookReceiverUrl')}/hooks/ok/fuzz-${random.int(0, 1e9)}`
    : `https://hooks.example.com/${random.int(0, 1e9)}`;

/** A value the schema describes, from json-schema-faker seeded by the case; `undefined` if it cannot make one. */
export function fake(schema: Schema, seed: number, rng: Rng): unknown {
  try {
    // A copy: the faker may hand back the schema's own example objects, which mutations must not change.
    return structuredClone(
      generateSync(schema, {
        seed,
        ...FAKER_DATES,
        formats: { uri: fakeUri },
        optionalsProbability: rng.pick([0.2, 0.6, 1]),
        useExamplesValue: rng.bool(0.3),
        maxItems: rng.pick([1, 3, 20]),
      }),
    );
  } catch {
    return undefined;
  }
}

const idsIn = (world: World, memory: LaneMemory, pool: string) => [
  ...(world.pools.get(pool)?.own ?? []),
  ...(memory.created.get(pool) ?? []),
];

function pathValue(
  draft: Draft,
  world: World,
  memory: LaneMemory,
  name: string,
  schema: Schema,
  rng: Rng,
  seed: number,
) {
  // Fixtures made for this operation first; a DELETE only ever takes its own, so it uses up no one else's.
  const made = world.pools.get(operationPool(draft.op, name))?.own ?? [];
  if (made.length > 0 && (draft.op.method === 'DELETE' || rng.bool(0.6))) return rng.pick(made);
  const pool = poolOf(draft.op.path, name);
  const own = idsIn(world, memory, pool);
  if (own.length > 0 && rng.bool(0.85)) return rng.pick(own);
  if (schema.type === 'integer' && rng.bool(0.7)) return String(rng.int(1, 3));
  if (schema.format === 'uuid') return uuidFrom(rng);
  const value = fake(schema, seed, rng);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : uuidFrom(rng);
}

/** An optional header from its pool when there is one (X-Organization-Id: the spare organization), else faked. */
function headerValue(world: World, name: string, schema: Schema, seed: number, rng: Rng): unknown {
  const pool = world.pools.get(name)?.own ?? [];
  return pool.length > 0 && rng.bool(0.8) ? rng.pick(pool) : fake(schema, seed, rng);
}

/** The id of the resource a request is about (the first path parameter), whose ETag the lane tracks. */
export const resourceKey = (draft: Pick<Draft, 'op' | 'path'>) => {
  const first = /\{([^}]+)\}/.exec(draft.op.path)?.[1];
  return first ? `${draft.op.path.split('{')[0]}${draft.path[first]}` : undefined;
};

function conditionalHeader(name: string, required: boolean, etag: string | undefined, rng: Rng): string | undefined {
  if (name === 'if-none-match') return etag && rng.bool(0.4) ? etag : undefined;
  const roll = rng.next();
  if (etag && roll < 0.55) return etag;
  if (roll < 0.75) return '"1"';
  if (roll < 0.85) return '*';
  return required && rng.bool(0.5) ? `"${rng.int(1, 5)}"` : undefined;
}

export function draftRequest(
  world: World,
  memory: LaneMemory,
  op: Operation,
  caller: Caller,
  target: Target,
  seed: number,
  rng: Rng,
): Draft {
  const draft: Draft = {
    op,
    caller,
    path: {},
    foreign: new Set(),
    query: [],
    headers: { ...caller.headers },
    notes: [],
  };
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  // B's ids of the kind, and those made for this very operation (B's published content for the delivery API).
  const foreignIds = (name: string) => [
    ...(world.pools.get(poolOf(op.path, name))?.foreign ?? []),
    ...(world.pools.get(operationPool(op, name))?.foreign ?? []),
  ];
  const withForeign = pathParams.filter((p) => foreignIds(p.name).length > 0);
  const foreignParam = target === 'foreign' && withForeign.length > 0 ? rng.pick(withForeign).name : undefined;
  for (const [i, p] of pathParams.entries()) {
    if (p.name === foreignParam) {
      draft.path[p.name] = rng.pick(foreignIds(p.name));
      draft.foreign.add(p.name);
    } else if (target === 'random' && p.schema.format === 'uuid') draft.path[p.name] = uuidFrom(rng);
    else draft.path[p.name] = pathValue(draft, world, memory, p.name, p.schema, rng, seed + i);
  }
  if (foreignParam) draft.notes.push(`path.${foreignParam}: organization B's`);
  if (target === 'random' && pathParams.length > 0) draft.notes.push('path ids: random');

  for (const [i, p] of op.parameters.entries()) {
    if (p.in === 'query' && (p.required || rng.bool(0.4))) {
      // A cursor is one the API handed out, or none: made-up ones are the 'forged cursor' mutation's.
      if (/cursor/i.test(p.name)) {
        if (memory.cursors.length > 0) draft.query.push([p.name, rng.pick(memory.cursors)]);
        continue;
      }
      const value = fake(p.schema, seed + 100 + i, rng);
      if (value !== undefined && value !== null) draft.query.push([p.name, String(value)]);
    }
    if (p.in === 'header') {
      const value =
        p.name === 'if-match' || p.name === 'if-none-match'
          ? conditionalHeader(p.name, p.required, memory.etags.get(resourceKey(draft) ?? ''), rng)
          : p.name === 'idempotency-key'
            ? rng.bool(0.3)
              ? `fuzz-${uuidFrom(rng)}`
              : undefined
            : (p.required || rng.bool(0.1)) && headerValue(world, p.name, p.schema, seed + 200 + i, rng);
      if (typeof value === 'string' && value !== '') draft.headers[p.name] = value;
    }
  }

  if (op.body && (op.body.required || rng.bool(0.7))) {
    draft.body = { kind: 'json', value: fake(op.body.schema, seed, rng) ?? {} };
    draft.headers['content-type'] = 'application/json';
  }
  return draft;
}

/** JSON text with every RawJson spliced in as written. */
export function stringifyBody(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  if (text === undefined) return '';
  return raws.length === 0 ? text : text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_, i: string) => raws[Number(i)]!);
}

export interface Wire {
  method: string;
  /** Path and query, percent-encoded. */
  url: string;
  headers: Headers;
  body?: string | ReadableStream<Uint8Array>;
  /** A printable form of the body, for the failure report. */
  bodyPreview?: string;
}

function jsonStream(bytes: number): ReadableStream<Uint8Array> {
  // All of it at once: the Worker refuses it part-way, and a stream still being written logs an aborted pipe.
  const text = new TextEncoder().encode(`{"x":"${'x'.repeat(Math.max(0, bytes - 8))}"}`);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(text);
      controller.close();
    },
  });
}

const preview = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text);

export function toWire(draft: Draft): Wire {
  const path = draft.op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(draft.path[name] ?? ''));
  const query = new URLSearchParams(draft.query).toString();
  const wire: Wire = { method: draft.op.method, url: query ? `${path}?${query}` : path, headers: draft.headers };
  const body = draft.body;
  if (body?.kind === 'stream') {
    wire.body = jsonStream(body.bytes);
    wire.bodyPreview = `<stream of ${body.bytes} bytes, no Content-Length>`;
  } else if (body) {
    const text = body.kind === 'json' ? stringifyBody(body.value) : body.text;
    wire.body = text;
    wire.bodyPreview = preview(text);
  }
  return wire;
}
