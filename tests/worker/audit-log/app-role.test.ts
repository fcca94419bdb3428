import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { auditLog } from '../../../src/db/schema/index.ts';
import { needsPostgres, useHarness } from '../harness.ts';
import { writeEntries } from './chain-fixtures.ts';

/**
 * The Worker's database role (migrations/0010_application_role.sql, ADR 0030). On PostgreSQL the harness's
 * connection is the Worker's own (DATABASE_URL: the login role contentos_app_login); PGlite serves every
 * connection as its superuser, so there the statements run under `SET LOCAL ROLE contentos_app`.
 */
const h = useHarness();
const { db } = h;
const onPglite = inject('databaseKind') === 'pglite';

const ROLLED_BACK = 'the statement succeeded; its transaction was rolled back';

/** Runs the statement as the application, in a transaction that never commits, and returns its error. */
async function errorAsApp(
  statement: (tx: Database) => PromiseLike<unknown>,
): Promise<{ code?: string; message: string }> {
  try {
    await db.transaction(async (tx) => {
      if (onPglite) await tx.execute(sql`set local role contentos_app`);
      await statement(tx as unknown as Database);
      throw new Error(ROLLED_BACK);
    });
  } catch (err) {
    return ((err as { cause?: unknown }).cause ?? err) as { code?: string; message: string };
  }
  throw new Error('unreachable');
}

describe('the application role', () => {
  it(
    'is what the Worker connects as: a login in contentos_app, no superuser, owning no table',
    needsPostgres,
    async () => {
      const [who] = (
        await db.execute<{ user: string; superuser: boolean; app: boolean; owned: string; owner_member: boolean }>(sql`
        select current_user as user,
          (select rolsuper from pg_roles where rolname = current_user) as superuser,
          pg_has_role(current_user, 'contentos_app', 'member') as app,
          (select count(*) from pg_class c where c.relowner = (select oid from pg_roles where rolname = current_user)) as owned,
          pg_has_role(current_user, (select relowner from pg_class where oid = 'audit_log'::regclass), 'member') as owner_member`)
      ).rows;
      expect(who).toEqual({
        user: 'contentos_app_login',
        superuser: false,
        app: true,
        owned: '0',
        owner_member: false,
      });
    },
  );

  it('cannot disable, drop or replace the audit triggers, nor change the audit log', async () => {
    const attempts: Array<[string, RegExp]> = [
      ['alter table audit_log disable trigger audit_log_no_update_delete', /must be owner of table audit_log/],
      ['alter table audit_log disable trigger audit_log_chain', /must be owner of table audit_log/],
      ['alter table audit_log disable trigger all', /must be owner of table audit_log/],
      ['drop trigger audit_log_chain on audit_log', /must be owner of (table|relation) audit_log/],
      ['drop trigger audit_log_no_update_delete on audit_log', /must be owner of (table|relation) audit_log/],
      ['alter table audit_log owner to contentos_app', /must be owner of table audit_log/],
      [
        'create trigger sneaky before insert on audit_log for each row execute function audit_log_reject_change()',
        /permission denied for table audit_log/,
      ],
      ['alter function audit_log_chain() security invoker', /must be owner of function audit_log_chain/],
      [
        'create or replace function audit_log_entry_hash(e audit_log) returns bytea language sql as $$ select null::bytea $$',
        /permission denied for schema public|must be owner of function/,
      ],
      ['set session_replication_role = replica', /permission denied to set parameter/],
      ['update audit_log set action = action', /permission denied for table audit_log/],
      ['delete from audit_log', /permission denied for table audit_log/],
      ['truncate audit_log', /permission denied for table audit_log/],
      ['update audit_chain_heads set position = 0', /permission denied for table audit_chain_heads/],
      ['delete from audit_chain_heads', /permission denied for table audit_chain_heads/],
      ['delete from audit_chain_checkpoints', /permission denied for table audit_chain_checkpoints/],
      ['create table audit_log_copy (id bigint)', /permission denied for schema public/],
    ];
    for (const [statement, message] of attempts) {
      const error = await errorAsApp((tx) => tx.execute(sql.raw(statement)));
      expect(error.message, statement).not.toBe(ROLLED_BACK);
      expect(error.code, statement).toBe('42501');
      expect(error.message, statement).toMatch(message);
    }
  });

  it('still writes and reads audit entries', async () => {
    const tenant = await h.newTenant();
    const error = await errorAsApp(async (tx) => {
      await writeEntries(tx, tenant.id, 2);
      const rows = await tx.select({ id: auditLog.id }).from(auditLog).where(sql`organization_id = ${tenant.id}`);
      expect(rows).toHaveLength(2);
    });
    expect(error.message).toBe(ROLLED_BACK);
  });

  it("cannot steer the trigger with a temporary table named like the heads (the trigger's names are qualified)", async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 1);
    const error = await errorAsApp(async (tx) => {
      await tx.execute(
        sql`create temporary table audit_chain_heads (organization_id uuid, position bigint, hash bytea)`,
      );
      await tx.execute(sql`insert into audit_chain_heads values (${tenant.id}, 1000, '\\x00'::bytea)`);
      const [row] = await tx
        .insert(auditLog)
        .values({
          organizationId: tenant.id,
          actorType: 'system',
          action: 'chain.temp',
          entityType: 'chain',
          entityId: 'temp',
          changes: { before: {}, after: {} },
        })
        .returning({ position: auditLog.chainPosition });
      expect(row!.position).toBe(2);
    });
    expect(error.message).toBe(ROLLED_BACK);
  });

  it('holds exactly these rights on each table: INSERT and SELECT only on the audit log', async () => {
    const rows = (
      await db.execute<{ table: string; privileges: string }>(sql`
        select c.relname as table,
          coalesce(string_agg(p.privilege, ',' order by p.privilege) filter (where has_table_privilege('contentos_app', c.oid, p.privilege)), '') as privileges
        from pg_class c
        cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p(privilege)
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
        group by c.relname`)
    ).rows;
    const rights = Object.fromEntries(rows.map((r) => [r.table, r.privileges]));
    const special: Record<string, string> = {
      audit_log: 'INSERT,SELECT',
      audit_chain_heads: 'SELECT',
      audit_chain_checkpoints: 'INSERT,SELECT,UPDATE',
    };
    expect(Object.keys(rights).length).toBeGreaterThan(10);
    // Sign-in state (ADR 0035) needs the ordinary four: a callback takes its transaction with DELETE, sessions
    // are touched and revoked with UPDATE, and the cron purges both.
    expect(rights).toMatchObject({
      organization_sso: 'DELETE,INSERT,SELECT,UPDATE',
      auth_sessions: 'DELETE,INSERT,SELECT,UPDATE',
      login_transactions: 'DELETE,INSERT,SELECT,UPDATE',
      // Built-in MFA (ADR 0036): a factor is enrolled, spent (UPDATE of its last step) and reset (DELETE); a
      // verification is written per credential and purged by the cron.
      mfa_totp: 'DELETE,INSERT,SELECT,UPDATE',
      mfa_verifications: 'DELETE,INSERT,SELECT,UPDATE',
    });
    for (const [table, privileges] of Object.entries(rights))
      expect(privileges, table).toBe(special[table] ?? 'DELETE,INSERT,SELECT,UPDATE');
  });
});
