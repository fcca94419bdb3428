import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditChainHeads, auditLog } from '../../../src/db/schema/index.ts';
import { GENESIS_HASH } from '../../../src/services/audit-log/audit-chain-segment.ts';
import { needsPostgres, useHarness } from '../harness.ts';
import { chainOf, hex, verify, writeEntries } from './chain-fixtures.ts';

const h = useHarness();
const { db } = h;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

const fromHex = (value: string) => Uint8Array.from(value.match(/../g)!.map((byte) => Number.parseInt(byte, 16)));

describe('the audit hash chain (trigger audit_log_chain)', () => {
  it("numbers an organization's entries 1, 2, 3, … each linked to the one before, and moves the head", async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 4);
    const chain = await chainOf(db, tenant.id);
    expect(chain.map((e) => e.chainPosition)).toEqual([1, 2, 3, 4]);
    expect(hex(chain[0]!.prevHash)).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(hex(chain[i]!.prevHash)).toBe(hex(chain[i - 1]!.hash));
    const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.organizationId, tenant.id));
    expect({ position: head!.position, hash: hex(head!.hash) }).toEqual({ position: 4, hash: hex(chain[3]!.hash) });
  });

  it('keeps each organization on its own chain', async () => {
    const [a, b] = await Promise.all([h.newTenant(), h.newTenant()]);
    await writeEntries(db, a.id, 2);
    await writeEntries(db, b.id, 1);
    await writeEntries(db, a.id, 1);
    expect((await chainOf(db, a.id)).map((e) => e.chainPosition)).toEqual([1, 2, 3]);
    expect((await chainOf(db, b.id)).map((e) => e.chainPosition)).toEqual([1]);
  });

  it('ignores chain values a writer sends: the trigger assigns them', async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 1);
    const forged = new Uint8Array(32).fill(7);
    await db.insert(auditLog).values({
      organizationId: tenant.id,
      actorType: 'system',
      action: 'chain.forged',
      entityType: 'chain',
      entityId: 'forged',
      changes: { before: {}, after: {} },
      chainPosition: 1,
      prevHash: sql`decode(${hex(forged)}, 'hex')`,
      hash: sql`decode(${hex(forged)}, 'hex')`,
    });
    const chain = await chainOf(db, tenant.id);
    expect(chain.map((e) => e.chainPosition)).toEqual([1, 2]);
    expect(hex(chain[1]!.hash)).not.toBe(hex(forged));
    expect(hex(chain[1]!.prevHash)).toBe(hex(chain[0]!.hash));
    expect((await verify(tenant.users.org_admin.headers)).intact).toBe(true);
  });

  it('hashes a documented canonical form that anyone can recompute outside the database', async () => {
    const tenant = await h.newTenant();
    await db.insert(auditLog).values({
      organizationId: tenant.id,
      actorType: 'user',
      actorId: tenant.users.editor.id,
      action: 'content.update',
      entityType: 'content',
      entityId: 'c-1',
      requestId: 'req-1',
      ip: '2001:db8::1',
      userAgent: 'agent ✓',
      changes: { before: { title: 'a' }, after: { title: 'b "q" é', n: 1.5, z: null } },
      occurredAt: new Date('2026-03-04T05:06:07.123Z'),
    });
    const [entry] = await chainOf(db, tenant.id);
    // PostgreSQL's jsonb text of the array: ", " and ": " separators, object keys by length then bytes.
    const canonical =
      `["contentos.audit.v1", "${tenant.id}", 1, ${entry!.id}, "user", "${tenant.users.editor.id}", ` +
      '"content.update", "content", "c-1", "req-1", "2001:db8::1", "agent ✓", "2026-03-04T05:06:07.123000Z", ' +
      '{"after": {"n": 1.5, "z": null, "title": "b \\"q\\" é"}, "before": {"title": "a"}}]';
    const bytes = new Uint8Array([...fromHex(GENESIS_HASH), ...new TextEncoder().encode(canonical)]);
    expect(hex(entry!.hash)).toBe(await sha256Hex(bytes));
  });

  it('gives concurrent writers of one organization consecutive positions, one chain', needsPostgres, async () => {
    const tenant = await h.newTenant();
    // Separate pools: the writes really run in separate sessions at once.
    const sessions = [db, h.context().services.db, h.context().services.db];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => writeEntries(sessions[i % sessions.length]!, tenant.id, 1, `c${i}`)),
    );
    const chain = await chainOf(db, tenant.id);
    expect(chain.map((e) => e.chainPosition)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await verify(tenant.users.org_admin.headers)).toMatchObject({ intact: true, checked: 30 });
  });

  it(
    "makes a second writer of the same organization wait for the first's commit, not other organizations",
    needsPostgres,
    async () => {
      const [a, b] = await Promise.all([h.newTenant(), h.newTenant()]);
      await writeEntries(db, a.id, 1);
      const second = h.context().services.db;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
      // The first writer takes A's head and keeps its transaction open.
      const first = db.transaction(async (tx) => {
        await writeEntries(tx as never, a.id, 1, 'first');
        firstInserted();
        await held;
      });
      await inserted;
      const order: string[] = [];
      const sameOrg = writeEntries(second, a.id, 1, 'second').then(() => order.push('A second'));
      // Another organization's insert goes through while A's head is held.
      await writeEntries(h.context().services.db, b.id, 1, 'other');
      order.push('B');
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('A first commits');
      release();
      await first;
      await sameOrg;
      expect(order).toEqual(['B', 'A first commits', 'A second']);
      const chain = await chainOf(db, a.id);
      expect(chain.map((e) => [e.chainPosition, e.action])).toEqual([
        [1, 'chain.write'],
        [2, 'first.write'],
        [3, 'second.write'],
      ]);
    },
  );
  it(
    "lets a writer holding its organization's row (a slug change) chain its entry while another entry waits",
    needsPostgres,
    async () => {
      // Found by the fuzz test (ADR 0033): a slug change locks the organization FOR UPDATE, then writes its audit
      // entry; another audited write of the organization took the chain's head, then waited in its entry's foreign
      // key check (KEY SHARE on the organization) for that lock. Each waited for the other: deadlock, 500. The
      // trigger now takes the organization's KEY SHARE lock before the head (migration 0017), so a writer waits
      // for the row before it holds the head, never while.
      const tenant = await h.newTenant();
      await writeEntries(db, tenant.id, 1);
      const renaming = h.context().services.db;
      let rowHeld!: () => void;
      const held = new Promise<void>((resolve) => (rowHeld = resolve));
      let finish!: () => void;
      const finishing = new Promise<void>((resolve) => (finish = resolve));
      const slugChange = renaming.transaction(async (tx) => {
        await tx.execute(sql`select id from organizations where id = ${tenant.id} for update`);
        rowHeld();
        await finishing;
        await writeEntries(tx as never, tenant.id, 1, 'slug');
      });
      await held;
      const other = writeEntries(h.context().services.db, tenant.id, 1, 'other');
      for (let waited = 0; ; waited += 20) {
        const { rows } = await db.execute(
          sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "audit_log"%'`,
        );
        if ((rows[0] as { n: number }).n > 0) break;
        if (waited > 10_000) throw new Error('the other entry never waited');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      finish();
      await slugChange;
      await other;
      const chain = await chainOf(db, tenant.id);
      expect(chain.map((e) => [e.chainPosition, e.action])).toEqual([
        [1, 'chain.write'],
        [2, 'slug.write'],
        [3, 'other.write'],
      ]);
      expect(await verify(tenant.users.org_admin.headers)).toMatchObject({ intact: true, checked: 3 });
    },
  );
});
