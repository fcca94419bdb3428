import { and, eq, sql, type SQLWrapper } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { auditLog } from '../../../src/db/schema/index.ts';
import { createKey } from '../api-keys/fixtures.ts';
import { useHarness } from '../harness.ts';
import { ownerDb } from './chain-fixtures.ts';

const h = useHarness();
const { db } = h;
/**
 * The trigger is what stops the table's owner, who holds every privilege on it (the Worker's role lacks
 * UPDATE, DELETE and TRUNCATE altogether: app-role.test.ts), so these attempts are made as the owner.
 */
const owner = ownerDb(h);

const ROLLED_BACK = 'the statement succeeded; its transaction was rolled back';

/**
 * Runs the statement in a transaction that never commits: if the table let it through, the test fails
 * and nothing (least of all a TRUNCATE) reaches the other test files' rows.
 */
async function postgresErrorOf(
  db: Database,
  statement: (tx: Database) => PromiseLike<unknown>,
): Promise<{ code?: string; message: string }> {
  try {
    await db.transaction(async (tx) => {
      await statement(tx as unknown as Database);
      throw new Error(ROLLED_BACK);
    });
  } catch (err) {
    // drizzle wraps driver errors; the Postgres error (with its SQLSTATE) is the cause.
    const pg = (err as { cause?: unknown }).cause ?? err;
    return pg as { code?: string; message: string };
  }
  throw new Error('unreachable');
}

describe('audit_log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE with a Postgres error, and the entry is unchanged', async () => {
    const key = await createKey({ role: 'viewer' });
    const byEntity = and(eq(auditLog.entityType, 'api_key'), eq(auditLog.entityId, key.id));
    const [entry] = await db.select().from(auditLog).where(byEntity);
    expect(entry).toBeDefined();
    const attempts: Array<[string, (tx: Database) => SQLWrapper & PromiseLike<unknown>]> = [
      [
        'UPDATE',
        (tx) =>
          tx
            .update(auditLog)
            .set({ action: 'api_key.tampered', changes: { before: {}, after: {} } })
            .where(eq(auditLog.id, entry!.id)),
      ],
      ['DELETE', (tx) => tx.delete(auditLog).where(eq(auditLog.id, entry!.id))],
      ['TRUNCATE', (tx) => tx.execute(sql`truncate table audit_log`)],
    ];
    for (const [operation, statement] of attempts) {
      const error = await postgresErrorOf(owner, statement);
      expect(error.message, operation).not.toBe(ROLLED_BACK);
      expect(error.code, operation).toBe('42501');
      expect(error.message).toBe(`audit_log is append-only: ${operation} is not allowed`);
    }
    expect(await db.select().from(auditLog).where(byEntity)).toEqual([entry]);
  });

  it('refuses a DELETE of the whole table as well', async () => {
    const [entry] = await db.select({ id: auditLog.id }).from(auditLog).limit(1);
    expect(entry).toBeDefined();
    const all = await postgresErrorOf(owner, (tx) => tx.delete(auditLog));
    expect(all.code).toBe('42501');
  });
});
