import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { organizations } from '../../../src/db/schema/index.ts';
import { needsPostgres, postJson, useHarness } from '../harness.ts';

/**
 * Found by the OpenAPI fuzz test (ADR 0033) once the audit log became a per-organization hash chain: a
 * policy, delivery-settings or organization change locked the organization's row FOR UPDATE, then wrote its
 * audit entry, which waits for the chain's head; another audited write of the organization held the head and
 * waited, for its entry's foreign key to the organization, on that row lock. Deadlock, 500. The changes now
 * lock the row FOR NO KEY UPDATE, which a foreign-key check does not wait for.
 *
 * Here a second session stands for that other write: it holds what the change's audit entry needs (the
 * audit table, as the head row would be), then does what every audit entry's foreign key does.
 */

const { context, useTenant, insertUser } = useHarness();
const org = useTenant();

async function whileAuditWaits(change: () => Promise<Response>): Promise<{ status: number; otherWrite: unknown }> {
  // The database owner's: where the Worker connects as the application role (docs/decisions/0030), it may not lock
  // the audit table.
  const writer = context({ DATABASE_URL: inject('databaseUrl') });
  let pid!: (n: number) => void;
  let go!: () => void;
  const writerPid = new Promise<number>((resolve) => (pid = resolve));
  const proceed = new Promise<void>((resolve) => (go = resolve));
  let otherWrite: unknown = 'done';
  const writing = writer.services.db.transaction(async (tx) => {
    await tx.execute(sql`lock table audit_log in share mode`);
    pid(((await tx.execute(sql`select pg_backend_pid() as pid`)).rows[0] as { pid: number }).pid);
    await proceed;
    try {
      await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, org.id))
        .for('key share');
    } catch (error) {
      otherWrite = error;
    }
  });
  try {
    const holder = await writerPid;
    const answer = change();
    for (let waited = 0; ; waited += 20) {
      const { rows } = await writer.services.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))`,
      );
      if ((rows[0] as { n: number }).n > 0) break;
      if (waited > 10_000) throw new Error('the change never reached its audit entry');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    go();
    await writing;
    return { status: (await answer).status, otherWrite };
  } finally {
    await writer.services.dispose();
  }
}

describe('the organization row changed while another write of the organization is being audited', () => {
  const admin = () => org.users.org_admin.headers;

  it('the editorial policy: both go through', needsPostgres, async () => {
    const result = await whileAuditWaits(() =>
      postJson('/api/v1/editorial-policy', { approvalThreshold: 6.5 }, admin(), 'PUT'),
    );
    expect(result).toEqual({ status: 200, otherWrite: 'done' });
  });

  it('the delivery settings: both go through', needsPostgres, async () => {
    const result = await whileAuditWaits(() =>
      postJson('/api/v1/delivery-settings', { publicAccess: true }, admin(), 'PUT'),
    );
    expect(result).toEqual({ status: 200, otherWrite: 'done' });
  });

  it('the organization itself (a super_admin renaming it): both go through', needsPostgres, async () => {
    const superAdmin = await insertUser(org.id, 'super_admin');
    const result = await whileAuditWaits(() =>
      postJson(`/api/v1/organizations/${org.id}`, { name: `Renamed ${org.slug}` }, superAdmin.headers, 'PATCH'),
    );
    expect(result).toEqual({ status: 200, otherWrite: 'done' });
  });
});
