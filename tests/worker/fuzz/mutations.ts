import { RawJson, type Draft } from './draft.ts';
import type { Schema } from './operations.ts';
import {
  BAD_IDS,
  CONTENT_TYPES,
  EXTREME_DATES,
  FORGED_CURSORS,
  HOSTILE_QUERY_VALUES,
  HUGE_NUMBERS,
  MALFORMED_JSON,
} from './hostile-values.ts';
import { uuidFrom, type Rng } from './rng.ts';
import type { World } from './world.ts';

/**
 * The ways a request is broken. Each mutation changes one thing and says what in `draft.notes`; one that
 * does not apply to the operation (a cursor where there is none) hands over to the next one that does.
 */

export interface MutationContext {
  world: World;
  rng: Rng;
  /** MAX_BODY_BYTES of the Worker under test. */
  maxBodyBytes: number;
  /** Credentials that must fail: expired, wrong audience, unsigned. */
  badCredentials: string[];
}

export interface Mutation {
  name: string;
  applies(draft: Draft): boolean;
  apply(draft: Draft, ctx: MutationContext): void;
}

/** A place in the JSON body: the container, the key or index, and the schema the document gives it. */
interface Slot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  schema: Schema;
  path: string;
}

const canCarryBody = (draft: Draft) => draft.op.method !== 'GET';

function firstAlternative(schema: Schema): Schema {
  const options = (schema.anyOf ?? schema.oneOf ?? schema.allOf) as Schema[] | undefined;
  if (!options) return schema;
  const merged = options.find((s) => typeof s === 'object' && s.type !== 'null') ?? schema;
  return { ...merged, ...(schema.allOf ? Object.assign({}, ...(schema.allOf as Schema[])) : {}) } as Schema;
}

function slotsOf(value: unknown, schema: Schema, path = 'body'): Slot[] {
  const s = firstAlternative(schema);
  if (Array.isArray(value)) {
    const items = (typeof s.items === 'object' ? s.items : {}) as Schema;
    return value.flatMap((v, i) => [
      { container: value, key: i, schema: items, path: `${path}[${i}]` },
      ...slotsOf(v, items, `${path}[${i}]`),
    ]);
  }
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const extra = (typeof s.additionalProperties === 'object' ? s.additionalProperties : {}) as Schema;
    return Object.entries(value).flatMap(([k, v]) => {
      const child = properties[k] ?? extra;
      return [
        { container: value as Record<string, unknown>, key: k, schema: child, path: `${path}.${k}` },
        ...slotsOf(v, child, `${path}.${k}`),
      ];
    });
  }
  return [];
}

const jsonBody = (draft: Draft) => (draft.body?.kind === 'json' ? draft.body : undefined);

/** Replaces one slot of the JSON body (or the whole body when it has none) with `value`. */
function replaceSomewhere(draft: Draft, rng: Rng, prefer: (slot: Slot) => boolean, value: (slot?: Slot) => unknown) {
  const body = jsonBody(draft);
  const slots = body && draft.op.body ? slotsOf(body.value, draft.op.body.schema) : [];
  const preferred = slots.filter(prefer);
  const slot = preferred.length > 0 ? rng.pick(preferred) : slots.length > 0 ? rng.pick(slots) : undefined;
  if (!slot) {
    draft.body = { kind: 'json', value: value() };
    draft.headers['content-type'] ??= 'application/json';
    draft.notes.push('whole body replaced');
    return;
  }
  (slot.container as Record<string | number, unknown>)[slot.key] = value(slot);
  draft.notes.push(`at ${slot.path}`);
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const OTHER_TYPES: unknown[] = [123, -1.5, 'text', '', true, null, [], {}, ['a'], { a: 1 }];

/** The body's fields, at any depth, that their object's schema requires (and the request has). */
function requiredSlots(draft: Draft): Array<{ container: Record<string, unknown>; key: string; path: string }> {
  const body = jsonBody(draft);
  if (!body || !draft.op.body) return [];
  const out: Array<{ container: Record<string, unknown>; key: string; path: string }> = [];
  const visit = (value: unknown, schema: Schema, path: string) => {
    const s = firstAlternative(schema);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? [])
      if (key in obj) out.push({ container: obj, key, path: `${path}.${key}` });
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const [k, v] of Object.entries(obj)) if (properties[k]) visit(v, properties[k]!, `${path}.${k}`);
  };
  visit(body.value, draft.op.body.schema, 'body');
  return out;
}

function nested(depth: number, rng: Rng): RawJson {
  return rng.bool()
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

export const MUTATIONS: Mutation[] = [
  { name: 'none', applies: () => true, apply: () => {} },
  {
    name: 'wrong type',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      replaceSomewhere(
        draft,
        rng,
        () => true,
        (slot) => {
          const current = slot ? (slot.container as Record<string | number, unknown>)[slot.key] : undefined;
          return rng.pick(OTHER_TYPES.filter((v) => typeOf(v) !== typeOf(current)));
        },
      );
    },
  },
  {
    name: 'missing required field',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      const slots = requiredSlots(draft);
      if (slots.length === 0) {
        draft.body = { kind: 'json', value: {} };
        draft.headers['content-type'] = 'application/json';
        draft.notes.push('empty object');
        return;
      }
      const slot = rng.pick(slots);
      delete slot.container[slot.key];
      draft.notes.push(`without ${slot.path}`);
    },
  },
  {
    name: 'unknown field',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      const body = jsonBody(draft);
      const objects =
        body && draft.op.body
          ? [body.value, ...slotsOf(body.value, draft.op.body.schema).map((s) => (s.container as never)[s.key])].filter(
              (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
            )
          : [];
      const target = objects.length > 0 ? rng.pick(objects) : {};
      if (objects.length === 0) {
        draft.body = { kind: 'json', value: target };
        draft.headers['content-type'] = 'application/json';
      }
      const key = rng.pick(['id', 'organizationId', 'status', 'version', 'createdAt', '__proto__', 'constructor', 'x']);
      // An own property, so `__proto__` reaches the wire as a key instead of changing the prototype.
      Object.defineProperty(target, key, {
        value: rng.pick(OTHER_TYPES),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      draft.notes.push(`added "${key}"`);
    },
  },
  {
    name: 'over-long string',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      replaceSomewhere(
        draft,
        rng,
        (slot) => typeof slot.schema.maxLength === 'number' || slot.schema.type === 'string',
        (slot) => {
          const max = typeof slot?.schema.maxLength === 'number' ? slot.schema.maxLength : undefined;
          const length = max !== undefined && rng.bool(0.6) ? max + 1 : rng.pick([10_000, 100_000, 400_000]);
          const unit = rng.pick(['x', 'é', '😀', ' ', '\u0000', '\ud800', '\u202e', 'a\u0301']);
          draft.notes.push(`${length} × ${JSON.stringify(unit)}`);
          return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        },
      );
    },
  },
  {
    name: 'huge number',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      const literal = rng.pick(HUGE_NUMBERS);
      draft.notes.push(literal);
      replaceSomewhere(
        draft,
        rng,
        (slot) =>
          slot.schema.type === 'number' || slot.schema.type === 'integer' || typeof slot.schema.maximum === 'number',
        () => new RawJson(literal),
      );
    },
  },
  {
    name: 'extreme date',
    applies: (d) => d.op.body !== undefined || d.op.parameters.some((p) => /date/.test(String(p.schema.format))),
    apply(draft, { rng }) {
      const date = rng.pick(EXTREME_DATES);
      draft.notes.push(date);
      const dated = draft.op.parameters.filter((p) => p.in === 'query' && /date/.test(String(p.schema.format)));
      if (dated.length > 0 && (draft.op.body === undefined || rng.bool())) {
        const name = rng.pick(dated).name;
        draft.query = [...draft.query.filter(([k]) => k !== name), [name, date]];
        draft.notes.push(`in query.${name}`);
        return;
      }
      replaceSomewhere(
        draft,
        rng,
        (slot) => /date/.test(String(slot.schema.format)),
        () => date,
      );
    },
  },
  {
    name: 'malformed JSON',
    applies: canCarryBody,
    apply(draft, { rng }) {
      const body = jsonBody(draft);
      const whole = body ? JSON.stringify(body.value) : '';
      const text =
        whole.length > 2 && rng.bool(0.3) ? whole.slice(0, rng.int(1, whole.length - 1)) : rng.pick(MALFORMED_JSON);
      draft.body = { kind: 'raw', text };
      draft.headers['content-type'] = 'application/json';
      draft.notes.push(JSON.stringify(text.slice(0, 80)));
    },
  },
  {
    name: 'deep nesting',
    applies: (d) => d.op.body !== undefined,
    apply(draft, { rng }) {
      const depth = rng.pick([20, 200, 5_000, 100_000]);
      draft.notes.push(`depth ${depth}`);
      replaceSomewhere(
        draft,
        rng,
        (slot) => slot.schema.type === 'object' || slot.schema.type === 'array',
        () => nested(depth, rng),
      );
    },
  },
  {
    name: 'content type',
    applies: canCarryBody,
    apply(draft, { rng }) {
      const type = rng.pick(CONTENT_TYPES);
      if (!draft.body) draft.body = { kind: 'json', value: {} };
      if (type === '') delete draft.headers['content-type'];
      else draft.headers['content-type'] = type;
      draft.notes.push(JSON.stringify(type));
    },
  },
  {
    name: 'oversized body',
    applies: canCarryBody,
    apply(draft, { rng, maxBodyBytes }) {
      const bytes = maxBodyBytes + rng.pick([1, 1024, 64 * 1024]);
      draft.headers['content-type'] = 'application/json';
      if (rng.bool(0.2)) {
        draft.body = { kind: 'stream', bytes };
        draft.notes.push(`${bytes} bytes, streamed`);
        return;
      }
      draft.body = { kind: 'raw', text: JSON.stringify({ padding: 'x'.repeat(bytes) }) };
      draft.notes.push(`${bytes} bytes`);
    },
  },
  {
    name: 'bad path parameter',
    applies: (d) => Object.keys(d.path).length > 0,
    apply(draft, { rng }) {
      const name = rng.pick(Object.keys(draft.path));
      draft.path[name] = rng.pick(BAD_IDS);
      draft.foreign.delete(name);
      draft.notes.push(`path.${name} = ${JSON.stringify(draft.path[name]!.slice(0, 60))}`);
    },
  },
  {
    name: 'bad query parameter',
    applies: () => true,
    apply(draft, { rng }) {
      const documented = draft.op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const name = documented.length > 0 && rng.bool(0.8) ? rng.pick(documented) : rng.pick(['x', 'page', '__proto__']);
      const value = rng.pick(HOSTILE_QUERY_VALUES);
      // Sometimes twice: a repeated parameter must not become an array the handler does not expect.
      draft.query = rng.bool(0.2)
        ? [...draft.query, [name, '1'], [name, value]]
        : [...draft.query.filter(([k]) => k !== name), [name, value]];
      draft.notes.push(`query.${name} = ${JSON.stringify(value.slice(0, 60))}`);
    },
  },
  {
    name: 'forged cursor',
    applies: (d) => d.op.parameters.some((p) => p.in === 'query' && /cursor/i.test(p.name)),
    apply(draft, { rng }) {
      const name = draft.op.parameters.find((p) => p.in === 'query' && /cursor/i.test(p.name))!.name;
      const held = draft.query.find(([k]) => k === name)?.[1];
      let value = rng.pick(FORGED_CURSORS);
      if (held && rng.bool(0.6)) {
        const at = rng.int(0, held.length - 1);
        const flipped = held[at] === 'A' ? 'B' : 'A';
        value = rng.bool() ? `${held.slice(0, at)}${flipped}${held.slice(at + 1)}` : held.slice(0, at);
      }
      draft.query = [...draft.query.filter(([k]) => k !== name), [name, value]];
      draft.notes.push(`${name} = ${JSON.stringify(value.slice(0, 60))}`);
    },
  },
  {
    name: 'bad header',
    applies: () => true,
    apply(draft, { rng, world }) {
      const choices: Array<[string, string]> = [
        ['if-match', rng.pick(['W/"1"', '"abc"', '"99999999999999999999"', '*, "1"', '"1', '', 'x'.repeat(5000)])],
        ['if-none-match', rng.pick(['W/"1"', '"-1"', '"1e400"', '*', 'x'.repeat(2000)])],
        ['idempotency-key', rng.pick([' ', 'x'.repeat(300), 'a\u007fb', 'a\tb'])],
        ['x-organization-id', rng.pick([world.spareOrganizationId, uuidFrom(rng), 'not-a-uuid', ''])],
        ['accept', rng.pick(['text/html', 'application/xml', '*/*;q=0', 'application/problem+json'])],
        ['x-request-id', rng.pick(['x'.repeat(500), 'a b', '<script>'])],
        ['accept-encoding', 'gzip, br, zstd'],
      ];
      const [name, value] = rng.pick(choices);
      draft.headers[name] = value;
      draft.notes.push(`${name}: ${JSON.stringify(value.slice(0, 60))}`);
    },
  },
  {
    name: 'bad credentials',
    applies: () => true,
    apply(draft, { rng, badCredentials }) {
      const value = rng.pick([
        'Bearer',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        `Bearer ${'x'.repeat(10_000)}`,
        `Bearer cos_${uuidFrom(rng).replaceAll('-', '')}`,
        `Bearer cosd_${uuidFrom(rng).replaceAll('-', '')}`,
        'Bearer a.b.c',
        ...badCredentials.map((token) => `Bearer ${token}`),
      ]);
      draft.headers.authorization = value;
      draft.notes.push(`authorization: ${JSON.stringify(value.slice(0, 40))}`);
    },
  },
];

/** The mutation at `index`, or the next one after it that applies to the draft ('none' always does). */
export function mutationFor(index: number, draft: Draft): Mutation {
  for (let i = 0; i < MUTATIONS.length; i++) {
    const m = MUTATIONS[(index + i) % MUTATIONS.length]!;
    if (m.applies(draft)) return m;
  }
  return MUTATIONS[0]!;
}
