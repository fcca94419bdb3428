import { asc, eq, sql } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { auditLog, type AuditEntry } from '../../../src/db/schema/index.ts';
import { toHex } from '../../../src/lib/bytes.ts';
import type { AuditChainVerification } from '../../../src/services/audit-log/verify-audit-chain.ts';
import { call, type Harness, type Headers } from '../harness.ts';

/**
 * The database as the owner of its tables (who ran the migrations), not as the Worker's application role:
 * what someone with the owner's credentials could do to the audit log behind the API.
 */
export const ownerDb = (h: Harness): Database => h.context({ DATABASE_URL: inject('databaseUrl') }).services.db;

/** `n` audit entries in the organization, written as any writer would (the trigger chains them). */
export async function writeEntries(db: Database, organizationId: string, n: number, label = 'chain'): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({
    organizationId,
    actorType: 'system',
    action: `${label}.write`,
    entityType: label,
    entityId: `${label}-${i}-${crypto.randomUUID()}`,
    changes: { before: {}, after: { i, note: `entry ${i} ✓` } },
  }));
  // One statement per row, as the services write them.
  for (const row of rows) await db.insert(auditLog).values(row);
}

/** The organization's chain, in position order. */
export const chainOf = (db: Database, organizationId: string): Promise<AuditEntry[]> =>
  db.select().from(auditLog).where(eq(auditLog.organizationId, organizationId)).orderBy(asc(auditLog.chainPosition));

export const hex = (bytes: Uint8Array) => toHex(bytes);

/**
 * Runs `statement` as the owner with the append-only trigger off, in one transaction, so no other session
 * ever sees the table unguarded (ALTER TABLE holds the table's exclusive lock until commit).
 */
export async function behindTheTrigger(owner: Database, statement: (tx: Database) => Promise<unknown>): Promise<void> {
  await owner.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await statement(tx as unknown as Database);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  });
}

/** An entry's content changed in place, its hashes left as they were. */
export const editEntry = (owner: Database, id: number) =>
  behindTheTrigger(owner, (tx) =>
    tx
      .update(auditLog)
      .set({ changes: { before: {}, after: { tampered: true } } })
      .where(eq(auditLog.id, id)),
  );

export const deleteEntry = (owner: Database, id: number) =>
  behindTheTrigger(owner, (tx) => tx.delete(auditLog).where(eq(auditLog.id, id)));

/**
 * A careful forger: edits the entry at `position`, then recomputes its hash and every later one's, and the
 * head, so that the chain links again from end to end.
 */
export async function rewriteFrom(owner: Database, organizationId: string, position: number): Promise<void> {
  await behindTheTrigger(owner, async (tx) => {
    await tx.execute(sql`
      update audit_log set changes = '{"before": {}, "after": {"rewritten": true}}'
      where organization_id = ${organizationId} and chain_position = ${position}`);
    // A DO block takes no parameters: the (test-made) uuid and position are written into it.
    const org = sql.raw(`'${organizationId}'`);
    const at = sql.raw(String(position));
    await tx.execute(sql`
      do $$
      declare e audit_log; link bytea;
      begin
        select hash into link from audit_log where organization_id = ${org} and chain_position = ${at} - 1;
        for e in select * from audit_log where organization_id = ${org} and chain_position >= ${at} order by chain_position
        loop
          e.prev_hash := link;
          e.hash := audit_log_entry_hash(e);
          update audit_log set prev_hash = e.prev_hash, hash = e.hash where id = e.id;
          link := e.hash;
        end loop;
        update audit_chain_heads set hash = link where organization_id = ${org};
      end $$`);
  });
}

/** GET /api/v1/audit-log/verify, expecting 200. */
export async function verify(headers: Headers, query = ''): Promise<AuditChainVerificationBody> {
  const res = await call(`/api/v1/audit-log/verify${query}`, { headers });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as AuditChainVerificationBody;
}

export type AuditChainVerificationBody = Pick<AuditChainVerification, 'from' | 'checked' | 'head'> &
  (
    | { intact: true; next: number | null }
    | {
        intact: false;
        firstBrokenPosition: number;
        reason: string;
        entryId: number | null;
        expected: string;
        found: string;
      }
  );
