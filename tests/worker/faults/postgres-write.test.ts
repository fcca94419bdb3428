import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { openDatabase } from '../../../src/db/client.ts';
import { idempotencyKeys, users } from '../../../src/db/schema/index.ts';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { hashIdempotencyKey } from '../../../src/services/idempotency/sealed-response.ts';
import { env } from 'cloudflare:test';
import { callApp, readProblem } from '../helpers.ts';
import { needsPostgres, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { tenantItem } from '../workflow/fixtures.ts';
import { faultyDatabase } from './fault-database.ts';
import { added, contentTrail, lostEvents, outboxIdsOf, wholeOrNothing } from './fixtures.ts';

/**
 * PostgreSQL lost in the middle of a write (issue 14, item 4). The fault proxy cuts the request's
 * connections just before one of its statements reaches the database, and refuses it from then on; each
 * statement of the write is the one cut, in turn. After every cut the database itself is read: the write is
 * all there (and was answered 2xx) or not there at all (and was answered 503 with Retry-After), the retry
 * the client is told to make does the write exactly once, and its event reaches the queue consumer.
 */

const { db, ctx, useTenant } = useHarness();
const org = useTenant();
const app = createApp();

interface Body {
  type: string;
  title: string;
  body: string;
  platforms: string[];
}
const newBody = (): Body => ({
  type: 'education',
  title: `Fault ${crypto.randomUUID()}`,
  body: 'Text.',
  platforms: ['web'],
});

/**
 * A sign-in is recorded at most once a minute: marking the user as just seen keeps that write out of the
 * request, so every run of it makes the same statements and the sweep cuts each of them.
 */
const justSeen = () => db.update(users).set({ lastLogin: new Date() }).where(eq(users.id, org.users.editor.id));

async function post(bindings: Partial<Bindings>, body: Body, key?: string): Promise<Response> {
  await justSeen();
  const headers: Record<string, string> = { ...org.users.editor.headers, 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  return callApp(app, '/api/v1/content', { method: 'POST', headers, body: JSON.stringify(body) }, bindings);
}

async function put(bindings: Partial<Bindings>, id: string, ifMatch: string): Promise<Response> {
  await justSeen();
  const headers = { ...org.users.editor.headers, 'content-type': 'application/json', 'if-match': ifMatch };
  return callApp(
    app,
    `/api/v1/content/${id}`,
    { method: 'PUT', headers, body: JSON.stringify({ title: `Edited ${crypto.randomUUID()}` }) },
    bindings,
  );
}

/** What 30 s doing nothing does to a claim its request could not release (the database was gone): it is abandoned. */
async function abandonClaim(key: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ lockedUntil: new Date(Date.now() - 1000) })
    .where(
      and(
        eq(idempotencyKeys.organizationId, org.id),
        eq(idempotencyKeys.principalId, org.users.editor.id),
        eq(idempotencyKeys.key, await hashIdempotencyKey(key)),
        eq(idempotencyKeys.state, 'in_flight'),
      ),
    );
}

/** A 503 as the clients are promised it: problem+json database_unavailable with Retry-After. */
async function unavailable(res: Response): Promise<string | undefined> {
  if (res.status !== 503) return `status ${res.status}: ${await res.text()}`;
  if (res.headers.get('retry-after') !== '5') return `503 without Retry-After: 5`;
  const problem = await readProblem(res);
  return problem.code === 'database_unavailable' ? undefined : `503 with code ${problem.code}`;
}

/** How many statements a request makes: the same request once through the proxy without a fault. */
async function statementsOf(request: (bindings: Partial<Bindings>) => Promise<Response>): Promise<number> {
  const recording = await faultyDatabase();
  const res = await request(recording.bindings);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await recording.state()).statements.length;
}

describe('PostgreSQL lost in the middle of a write', () => {
  it('POST /content with an Idempotency-Key, cut before each of its statements in turn: 201 and all of it, or 503 and ' +
    'none of it; the retry with the same key creates it once; its event is relayed and consumed', {
    ...needsPostgres,
    timeout: 180_000,
  }, async () => {
    const statements = await statementsOf((bindings) => post(bindings, newBody(), crypto.randomUUID()));
    const problems: string[] = [];
    let injected = 0;
    for (let n = 0; n < statements; n++) {
      const fault = await faultyDatabase({ after: n });
      const key = crypto.randomUUID();
      const body = newBody();
      const before = await contentTrail(db, org.id);
      const first = await post(fault.bindings, body, key);
      const firstStatus = first.status;
      const state = await fault.state();
      if (!state.tripped) continue;
      injected++;
      const cut = `cut before statement ${n + 1} (${state.stopped?.slice(0, 60)}…): ${firstStatus}`;
      const delta = added(await contentTrail(db, org.id), before);
      let createdId: string | undefined;
      if (firstStatus === 201) {
        createdId = ((await first.json()) as { id: string }).id;
        if (delta.content !== 1 || !wholeOrNothing(delta, 1))
          problems.push(`${cut}, but wrote ${JSON.stringify(delta)}`);
        // The client has its answer; a repeat replays it, or is told the first is still in flight (ADR 0008).
        const repeat = await post({}, body, key);
        if (![201, 409].includes(repeat.status)) problems.push(`${cut}; its repeat answered ${repeat.status}`);
      } else {
        const wrong = await unavailable(first);
        if (wrong) problems.push(`${cut}: ${wrong}`);
        if (delta.content !== 0 || !wholeOrNothing(delta, 0))
          problems.push(`${cut}, yet wrote ${JSON.stringify(delta)}`);
        let retry = await post({}, body, key);
        if (retry.status === 409) {
          await abandonClaim(key);
          retry = await post({}, body, key);
        }
        if (retry.status !== 201) problems.push(`${cut}; the retry answered ${retry.status}: ${await retry.text()}`);
        else createdId = ((await retry.json()) as { id: string }).id;
        const again = await post({}, body, key);
        if (again.headers.get('idempotent-replayed') !== 'true')
          problems.push(`${cut}; a second retry was not a replay`);
      }
      const total = added(await contentTrail(db, org.id), before);
      if (total.content !== 1 || !wholeOrNothing(total, 1))
        problems.push(`${cut}; in the end ${JSON.stringify(total)}`);
      if (createdId) {
        const lost = await lostEvents(db, ctx, await outboxIdsOf(db, createdId));
        if (lost.length > 0) problems.push(`${cut}; events lost: ${lost.join(', ')}`);
      }
    }
    score('faults', { tried: injected, failed: problems.length });
    expect(problems).toEqual([]);
    expect(injected).toBe(statements);
  });

  it('PUT /content/{id} with If-Match, cut before each of its statements in turn: 200 and a new version, or 503 and ' +
    'none; the retry with the same If-Match then succeeds once (412 if the first had committed)', {
    ...needsPostgres,
    timeout: 180_000,
  }, async () => {
    const statements = await statementsOf(async (bindings) => {
      const item = await tenantItem(db, org);
      return put(bindings, item.id, `"${item.version}"`);
    });
    const problems: string[] = [];
    let injected = 0;
    for (let n = 0; n < statements; n++) {
      const item = await tenantItem(db, org);
      const ifMatch = `"${item.version}"`;
      const fault = await faultyDatabase({ after: n });
      const before = await contentTrail(db, org.id);
      const first = await put(fault.bindings, item.id, ifMatch);
      const state = await fault.state();
      if (!state.tripped) continue;
      injected++;
      const cut = `cut before statement ${n + 1} (${state.stopped?.slice(0, 60)}…): ${first.status}`;
      const delta = added(await contentTrail(db, org.id), before);
      const committed = first.status === 200;
      if (!committed) {
        const wrong = await unavailable(first);
        if (wrong) problems.push(`${cut}: ${wrong}`);
      }
      if (!wholeOrNothing(delta, committed ? 1 : 0)) problems.push(`${cut}, yet wrote ${JSON.stringify(delta)}`);
      const retry = await put({}, item.id, ifMatch);
      if (retry.status !== (committed ? 412 : 200)) problems.push(`${cut}; the retry answered ${retry.status}`);
      const total = added(await contentTrail(db, org.id), before);
      if (!wholeOrNothing(total, 1)) problems.push(`${cut}; in the end ${JSON.stringify(total)}`);
      const lost = await lostEvents(db, ctx, await outboxIdsOf(db, item.id));
      if (lost.length > 0) problems.push(`${cut}; events lost: ${lost.join(', ')}`);
    }
    score('faults', { tried: injected, failed: problems.length });
    expect(problems).toEqual([]);
    expect(injected).toBe(statements);
  });

  it(
    'a connection cut inside the transaction is 503 with Retry-After, not 500, with or without an Idempotency-Key',
    needsPostgres,
    async () => {
      for (const key of [undefined, crypto.randomUUID()]) {
        const fault = await faultyDatabase({ match: 'insert into "content_versions"' });
        const before = await contentTrail(db, org.id);
        const res = await post(fault.bindings, newBody(), key);
        expect((await fault.state()).tripped).toBe(true);
        expect(await unavailable(res)).toBeUndefined();
        expect(added(await contentTrail(db, org.id), before)).toEqual({ content: 0, versions: 0, audit: 0, outbox: 0 });
      }
    },
  );

  it(
    'a write that committed is answered 201 even when its Idempotency-Key record cannot be stored after it',
    needsPostgres,
    async () => {
      const fault = await faultyDatabase({ match: 'update "idempotency_keys"' });
      const before = await contentTrail(db, org.id);
      const res = await post(fault.bindings, newBody(), crypto.randomUUID());
      expect((await fault.state()).tripped).toBe(true);
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = (await res.json()) as { id: string };
      expect(added(await contentTrail(db, org.id), before)).toEqual({ content: 1, versions: 1, audit: 1, outbox: 1 });
      expect(await lostEvents(db, ctx, await outboxIdsOf(db, id))).toEqual([]);
    },
  );

  it(
    'a connection that dies under a BEGIN does not hold the invocation open: the handle still closes at once',
    needsPostgres,
    async () => {
      const fault = await faultyDatabase({ match: 'begin' });
      const handle = openDatabase(loadConfig({ ...env, ...fault.bindings } as Bindings), () => {});
      await expect(handle.db.transaction((tx) => tx.execute(sql`select 1`))).rejects.toThrow();
      expect((await fault.state()).tripped).toBe(true);
      const waited = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000));
      expect(await Promise.race([handle.close().then(() => 'closed'), waited])).toBe('closed');
    },
  );

  it(
    'a connection lost while a request holds it is reported to the pool handler, not thrown into the isolate',
    needsPostgres,
    async () => {
      const fault = await faultyDatabase({ match: 'select 2' });
      const errors: unknown[] = [];
      const handle = openDatabase(loadConfig({ ...env, ...fault.bindings } as Bindings), (err) => errors.push(err));
      const client = await handle.pool.connect();
      try {
        await client.query('select 1');
        // pg-pool stops listening to a client while it is checked out: an 'error' with no listener would be thrown.
        expect(client.listenerCount('error')).toBeGreaterThan(0);
        await expect(client.query('select 2')).rejects.toThrow();
        expect((await fault.state()).tripped).toBe(true);
      } finally {
        client.release(true);
        await handle.close();
      }
    },
  );
});
