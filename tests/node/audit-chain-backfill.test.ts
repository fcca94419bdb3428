import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../scripts/local/postgres.ts';

/** The migrations folder as it was before `tag`: the database an existing deployment has. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'contentos-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(cut).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return dir;
}

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';

describe('migration 0009 on a database that already has audit entries', () => {
  const pg = new PGlite();
  const db = drizzle({ client: pg });
  const before = migrationsBefore('0009_audit_hash_chain');
  afterAll(async () => {
    await pg.close();
    rmSync(before, { recursive: true, force: true });
  });

  it("chains each organization's existing entries in insertion order, and new ones continue the chains", async () => {
    await migrate(db, { migrationsFolder: before });
    await pg.exec(`
      insert into organizations (id, name, slug) values ('${ORG_A}', 'A', 'a'), ('${ORG_B}', 'B', 'b');
      insert into audit_log (organization_id, actor_type, action, entity_type, entity_id, changes, ip) values
        ('${ORG_A}', 'system', 'x.one', 'x', '1', '{"before": {}, "after": {"n": 1}}', '203.0.113.9'),
        ('${ORG_B}', 'system', 'x.one', 'x', '2', '{"before": {}, "after": {}}', null),
        ('${ORG_A}', 'system', 'x.two', 'x', '3', '{"before": {"n": 1}, "after": {"n": 2}}', null),
        ('${ORG_A}', 'system', 'x.three', 'x', '4', '{"before": {}, "after": {}}', null);`);

    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    await pg.exec(`
      insert into audit_log (organization_id, actor_type, action, entity_type, entity_id, changes)
      values ('${ORG_B}', 'system', 'x.after', 'x', '5', '{"before": {}, "after": {}}');`);

    const { rows } = await pg.query<{
      organization_id: string;
      id: number;
      chain_position: number;
      linked: boolean;
      rehashes: boolean;
    }>(`
      select organization_id, id::int, chain_position::int,
        prev_hash = coalesce(lag(hash) over w, '\\x${'00'.repeat(32)}'::bytea) as linked,
        hash = audit_log_entry_hash(a) as rehashes
      from audit_log a window w as (partition by organization_id order by chain_position)
      order by organization_id, chain_position`);
    expect(rows).toEqual([
      { organization_id: ORG_A, id: 1, chain_position: 1, linked: true, rehashes: true },
      { organization_id: ORG_A, id: 3, chain_position: 2, linked: true, rehashes: true },
      { organization_id: ORG_A, id: 4, chain_position: 3, linked: true, rehashes: true },
      { organization_id: ORG_B, id: 2, chain_position: 1, linked: true, rehashes: true },
      { organization_id: ORG_B, id: 5, chain_position: 2, linked: true, rehashes: true },
    ]);
    const heads = await pg.query<{ organization_id: string; position: number; matches: boolean }>(`
      select h.organization_id, h.position::int, h.hash = a.hash as matches
      from audit_chain_heads h join audit_log a on a.organization_id = h.organization_id and a.chain_position = h.position
      order by h.organization_id`);
    expect(heads.rows).toEqual([
      { organization_id: ORG_A, position: 3, matches: true },
      { organization_id: ORG_B, position: 2, matches: true },
    ]);
    // The append-only trigger was switched back on.
    await expect(pg.exec(`update audit_log set action = 'x.edited' where id = 1`)).rejects.toThrow(
      'audit_log is append-only: UPDATE is not allowed',
    );
  });
});
