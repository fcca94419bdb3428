import { call } from '../helpers.ts';
import { draftRequest, resourceKey, toWire, type Draft, type LaneMemory, type Target, type Wire } from './draft.ts';
import { problemCode, violations, type Received } from './invariants.ts';
import { MUTATIONS, mutationFor, type MutationContext } from './mutations.ts';
import { rngFrom, uuidFrom, type Rng } from './rng.ts';
import type { Operation } from './operations.ts';
import type { Caller, World } from './world.ts';

/** One generated case: small numbers fast-check draws and shrinks; the request is derived from them. */
export interface FuzzCase {
  op: number;
  /** A point in [0, CALLER_SCALE): which caller, weighted towards those the operation admits (callerFor). */
  caller: number;
  target: Target;
  /** Index into MUTATIONS; 0 sends the generated request as it is. */
  mutation: number;
  /**
   * Send it twice: a POST with one Idempotency-Key (the second the same or changed, after the first or at
   * once), anything else twice at once (races: two changes of one row, a delete during an update).
   */
  twice: boolean;
  seed: number;
}

export interface Lane {
  memory: LaneMemory;
  /** Requests this lane sent (shrinking and twins included). */
  requests: number;
  /** operationId → status → count, and caller → status → count */
  statuses: Map<string, Map<number, number>>;
  byCaller: Map<string, Map<number, number>>;
}

export const newLane = (): Lane => ({
  memory: { etags: new Map(), created: new Map(), cursors: [] },
  requests: 0,
  statuses: new Map(),
  byCaller: new Map(),
});

function count(map: Map<string, Map<number, number>>, key: string, status: number) {
  const byStatus = map.get(key) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  map.set(key, byStatus);
}

/** A broken invariant, with everything needed to send the request again by hand. */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

const ANSWER_TIMEOUT_MS = 30_000;

export const CALLER_SCALE = 1000;

/**
 * The caller a case's number stands for. Callers the operation admits (a credential its security accepts,
 * or none where none is needed) weigh four times the others, so most requests get past authentication;
 * the rest still come, to be refused. Anonymous comes first, so shrinking moves towards it.
 */
export function callerFor(world: World, op: Operation, point: number): Caller {
  const admitted = (c: Caller) =>
    (c.scheme !== undefined && op.security.includes(c.scheme)) || (op.anonymousAllowed && !c.headers.authorization);
  const weights = world.callers.map((c) => (admitted(c) ? 4 : 1));
  let at = (point / CALLER_SCALE) * weights.reduce((a, b) => a + b, 0);
  for (const [i, weight] of weights.entries()) {
    if (at < weight) return world.callers[i]!;
    at -= weight;
  }
  return world.callers.at(-1)!;
}

async function send(wire: Wire): Promise<Received> {
  const init: RequestInit = { method: wire.method, headers: wire.headers };
  if (wire.body !== undefined) init.body = wire.body;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([call(wire.url, init), timeout]);
    return { status: res.status, headers: res.headers, text: await res.text() };
  } finally {
    clearTimeout(timer);
  }
}

function describeExchange(draft: Draft, wire: Wire, res: Received | undefined): string {
  const { authorization, ...headers } = wire.headers;
  const auth = authorization === draft.caller.headers.authorization ? draft.caller.name : authorization?.slice(0, 60);
  const lines = [
    `${wire.method} ${wire.url}`,
    `  as ${auth ?? 'nobody'}; ${draft.notes.join('; ') || 'generated from the schema'}`,
    `  headers ${JSON.stringify(headers).slice(0, 600)}`,
  ];
  if (wire.bodyPreview !== undefined) lines.push(`  body ${wire.bodyPreview}`);
  if (res) {
    const text = res.text.length > 800 ? `${res.text.slice(0, 800)}…` : res.text;
    lines.push(`→ ${res.status} ${res.headers.get('content-type') ?? ''} ${text}`);
  }
  return lines.join('\n');
}

function record(lane: Lane, draft: Draft, res: Received) {
  lane.requests++;
  count(lane.statuses, draft.op.operationId, res.status);
  count(lane.byCaller, draft.caller.name, res.status);
  if (res.status >= 300) return;
  const key = resourceKey(draft);
  const etag = res.headers.get('etag');
  if (key && etag) lane.memory.etags.set(key, etag);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return;
  }
  const { id, nextCursor } = (body ?? {}) as { id?: unknown; nextCursor?: unknown };
  // A create (POST to a collection) adds to the pool its path names: new resources join the fuzzing by themselves.
  const collection = draft.op.path.split('/').at(-1)!;
  if (draft.op.method === 'POST' && res.status === 201 && typeof id === 'string' && !collection.startsWith('{')) {
    const created = lane.memory.created.get(collection) ?? [];
    created.push(id);
    lane.memory.created.set(collection, created.slice(-50));
  }
  if (typeof nextCursor === 'string') lane.memory.cursors = [...lane.memory.cursors.slice(-49), nextCursor];
}

async function exchange(lane: Lane, draft: Draft): Promise<{ wire: Wire; res: Received; found: string[] }> {
  const wire = toWire(draft);
  let res: Received;
  try {
    res = await send(wire);
  } catch (error) {
    throw new InvariantViolation(`${describeExchange(draft, wire, undefined)}\n  - ${String(error)}`);
  }
  record(lane, draft, res);
  return { wire, res, found: violations(draft.op, res) };
}

/** Whether B's id must answer exactly as an id that does not exist: for callers this operation admits. */
function comparesWithMissingId(draft: Draft): boolean {
  const { caller, op } = draft;
  if (!caller.scheme || !op.security.includes(caller.scheme)) return false;
  if (draft.headers['x-organization-id'] !== undefined) return false;
  // A super_admin manages every organization: B is not another tenant's for its organization routes.
  return !(caller.superAdmin && op.tags.includes('Organizations'));
}

/** The same request with B's ids swapped for ids nobody has. */
function twinOf(draft: Draft, rng: Rng): Draft {
  const path = { ...draft.path };
  for (const name of draft.foreign) {
    const schema = draft.op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema;
    path[name] = schema?.format === 'uuid' ? uuidFrom(rng) : `fuzz-${uuidFrom(rng).slice(0, 8)}`;
  }
  const headers = { ...draft.headers };
  // A fresh key for a generated one (reusing it would be a different request); a malformed one stays malformed.
  if (headers['idempotency-key']?.startsWith('fuzz-')) headers['idempotency-key'] = `fuzz-${uuidFrom(rng)}`;
  return { ...draft, path, foreign: new Set(), headers, notes: [...draft.notes, "twin: B's id → an unknown id"] };
}

/** The request sent a second time: a POST under the first's Idempotency-Key (its body sometimes changed). */
function secondOf(draft: Draft, rng: Rng): Draft {
  const again: Draft = { ...draft, headers: { ...draft.headers }, notes: [...draft.notes, 'sent twice'] };
  if (draft.op.method !== 'POST') return again;
  const key = `fuzz-${uuidFrom(rng)}`;
  draft.headers['idempotency-key'] = key;
  again.headers['idempotency-key'] = key;
  if (rng.bool() && draft.body?.kind === 'json') {
    again.body = { kind: 'json', value: { ...(draft.body.value as object), fuzzChanged: true } };
    again.notes.push('same Idempotency-Key, changed body');
  } else again.notes.push('same Idempotency-Key');
  return again;
}

export async function runCase(world: World, lane: Lane, ctx: Omit<MutationContext, 'rng'>, c: FuzzCase) {
  const rng = rngFrom(c.seed);
  const op = world.operations[c.op]!;
  const caller = callerFor(world, op, c.caller);
  const draft = draftRequest(world, lane.memory, op, caller, c.target, c.seed, rng);
  const mutation = mutationFor(c.mutation, draft);
  if (mutation !== MUTATIONS[0]) draft.notes.unshift(mutation.name);
  mutation.apply(draft, { ...ctx, rng });

  const again = c.twice ? secondOf(draft, rng) : undefined;
  const together = again !== undefined && (op.method !== 'POST' || rng.bool());
  if (together) again.notes.push('sent at the same time');
  const [first, raced] = await Promise.all([
    exchange(lane, draft),
    together ? exchange(lane, again) : Promise.resolve(undefined),
  ]);
  const problems = first.found.map((f) => `${describeExchange(draft, first.wire, first.res)}\n  - ${f}`);

  if (draft.foreign.size > 0 && !(caller.superAdmin && op.tags.includes('Organizations'))) {
    if (first.res.status < 400) {
      problems.push(
        `${describeExchange(draft, first.wire, first.res)}\n  - organization B's id answered ${first.res.status}`,
      );
    } else if (comparesWithMissingId(draft) && !again) {
      // (Not when sent twice: the first answer then depends on the second, e.g. 409 for a key still in use.)
      const twin = twinOf(draft, rng);
      const second = await exchange(lane, twin);
      problems.push(...second.found.map((f) => `${describeExchange(twin, second.wire, second.res)}\n  - ${f}`));
      const [a, b] = [first.res, second.res];
      if (a.status !== b.status || problemCode(a) !== problemCode(b)) {
        problems.push(
          `${describeExchange(draft, first.wire, a)}\n${describeExchange(twin, second.wire, b)}\n  - B's id answered ` +
            `${a.status} ${problemCode(a)}, an unknown id ${b.status} ${problemCode(b)}: another tenant's ids must look missing`,
        );
      }
    }
  }

  const second = raced ?? (again ? await exchange(lane, again) : undefined);
  if (second)
    problems.push(...second.found.map((f) => `${describeExchange(again!, second.wire, second.res)}\n  - ${f}`));
  if (problems.length > 0) throw new InvariantViolation(problems.join('\n'));
}
