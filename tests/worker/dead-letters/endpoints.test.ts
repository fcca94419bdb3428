import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deadLetters, type DeadLetterReason } from '../../../src/db/schema/index.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { HEARTBEAT_EVENT } from '../../../src/events/system.ts';
import { recordDeadLetters } from '../../../src/services/dead-letters/record-dead-letters.ts';
import { call, postJson, readProblem, useHarness, type TestUser } from '../harness.ts';

const harness = useHarness();
const { db, ctx } = harness;
const org = harness.useTenant();
/** A platform operator (a super_admin belongs to some organization: this one). */
const operator = {} as TestUser;
beforeAll(async () => {
  Object.assign(operator, await harness.insertUser(org.id, 'super_admin'));
});

interface DeadLetterResource {
  id: string;
  eventId: string;
  eventType: string | null;
  organizationId: string | null;
  effect: string;
  reason: DeadLetterReason;
  envelope: unknown;
  lastError: string;
  attempts: number;
  firstFailedAt: string;
  nextAttemptAt: string | null;
  resolvedAt: string | null;
  resolution: 'redriven' | 'replayed' | null;
}
interface DeadLetterPage {
  data: DeadLetterResource[];
  nextCursor: string | null;
}

/** A dead letter of this file's organization, parked as the consumer parks one. */
async function park(
  body: unknown,
  options: { effect?: string; reason?: DeadLetterReason; organizationId?: string | null; at?: Date } = {},
): Promise<string> {
  const eventId =
    typeof body === 'object' && body !== null && 'id' in body ? String(body.id) : `message:${crypto.randomUUID()}`;
  const effect = options.effect ?? '*';
  await recordDeadLetters({
    ctx,
    input: {
      eventId,
      eventType: typeof body === 'object' && body !== null && 'type' in body ? String(body.type) : null,
      organizationId: options.organizationId === undefined ? org.id : options.organizationId,
      body,
      reason: options.reason ?? 'effect_failed',
      effects: [effect],
      error: 'KV is unavailable',
    },
    now: options.at,
  });
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.eventId, eventId));
  return row!.id;
}

const list = (query: string, headers = operator.headers) => call(`/api/v1/system/dead-letters${query}`, { headers });
const replay = (id: string, headers = operator.headers) =>
  postJson(`/api/v1/system/dead-letters/${id}/replay`, {}, headers);

describe('GET /api/v1/system/dead-letters', () => {
  it('lists unresolved dead letters newest first, filtered, one keyset page after another', async () => {
    const base = Date.now() - 60_000;
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const event = newEvent('content.unpublished', org.id, { contentId: crypto.randomUUID(), version: 2 });
      ids.push(await park(event, { effect: 'delivery-cache', at: new Date(base + i * 1000) }));
    }
    const first = await list(`?organizationId=${org.id}&limit=2`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as DeadLetterPage;
    expect(page1.data.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page1.data[0]).toMatchObject({
      eventType: 'content.unpublished',
      organizationId: org.id,
      effect: 'delivery-cache',
      reason: 'effect_failed',
      lastError: 'KV is unavailable',
      attempts: 0,
      resolvedAt: null,
    });
    const page2 = (await (
      await list(`?organizationId=${org.id}&limit=2&cursor=${page1.nextCursor}`)
    ).json()) as DeadLetterPage;
    expect(page2.data.map((d) => d.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();

    const byEffect = (await (await list(`?organizationId=${org.id}&effect=webhooks`)).json()) as DeadLetterPage;
    expect(byEffect.data).toEqual([]);
    const resolved = (await (await list(`?organizationId=${org.id}&status=resolved`)).json()) as DeadLetterPage;
    expect(resolved.data).toEqual([]);
  });

  it('400 for a cursor it did not hand out, and for unknown filters', async () => {
    const forged = await list('?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect((await readProblem(forged)).code).toBe('invalid_cursor');
    expect((await list('?status=maybe')).status).toBe(400);
    expect((await list('?colour=red')).status).toBe(400);
  });

  it('is for super_admins only: 401 without credentials, 403 for an org_admin', async () => {
    expect((await call('/api/v1/system/dead-letters')).status).toBe(401);
    const denied = await list('', org.users.org_admin.headers);
    expect(denied.status).toBe(403);
    expect((await readProblem(denied)).code).toBe('forbidden');
  });
});

describe('POST /api/v1/system/dead-letters/{id}/replay', () => {
  it('runs the effect now: resolved as replayed, audited in the operator\u2019s organization, then 409 on a second replay', async () => {
    const heartbeat = newEvent(HEARTBEAT_EVENT, null, {});
    const id = await park(heartbeat, { effect: 'queue-heartbeat', organizationId: null });
    const res = await replay(id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as DeadLetterResource;
    expect(body).toMatchObject({ id, resolution: 'replayed', attempts: 1, nextAttemptAt: null });
    expect(body.resolvedAt).not.toBeNull();

    const [audit, ...more] = await harness.auditRows({ type: 'dead_letter', id });
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      action: 'dead_letter.replay',
      organizationId: operator.organizationId,
      actorId: operator.id,
    });
    expect(audit!.changes.after).toMatchObject({
      resolution: 'replayed',
      eventId: heartbeat.id,
      effect: 'queue-heartbeat',
    });

    const again = await replay(id);
    expect(again.status).toBe(409);
    expect((await readProblem(again)).code).toBe('dead_letter_resolved');
  });

  it('a replay that fails again answers 200 with the error; a malformed message keeps waiting for a person', async () => {
    const id = await park({ not: 'an envelope' }, { reason: 'malformed', organizationId: null });
    const res = await replay(id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as DeadLetterResource;
    expect(body).toMatchObject({ id, reason: 'malformed', resolvedAt: null, attempts: 1, nextAttemptAt: null });
    expect(body.lastError).toMatch(/^malformed message: envelope\./);
  });

  it('an effect that still fails is backed off for the cron', async () => {
    // An unknown type: still no consumer for it, so it waits (re-driven with backoff) rather than resolving.
    const id = await park(newEvent('content.future_type', org.id, {}), { reason: 'unknown_type' });
    const body = (await (await replay(id)).json()) as DeadLetterResource;
    expect(body).toMatchObject({ resolvedAt: null, attempts: 1, reason: 'unknown_type' });
    expect(body.lastError).toBe('no consumer handles events of type content.future_type');
    expect(Date.parse(body.nextAttemptAt!) - Date.now()).toBeGreaterThan(60_000);
  });

  it('404 for an unknown id; 403 for an org_admin, who changes nothing', async () => {
    const missing = await replay(crypto.randomUUID());
    expect(missing.status).toBe(404);
    const id = await park(newEvent(HEARTBEAT_EVENT, null, {}), { effect: 'queue-heartbeat', organizationId: null });
    expect((await replay(id, org.users.org_admin.headers)).status).toBe(403);
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, id)))[0]).toMatchObject({
      attempts: 0,
      resolvedAt: null,
    });
  });
});
