import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { hashApiKeySecret } from '../src/auth/api-key-secret.ts';
import { BENCH_ORG, benchContentSql, benchUserEmail, benchUserId, STATUS_SHARES } from './config.ts';

const BATCH = 5_000;

/** `i % 20` → status, as one CASE, so SQL and the report agree on the mix. */
const statusCase = `case ${STATUS_SHARES.map((s) => `when i % 20 < ${s.upTo} then '${s.status}'`).join(' ')} end::content_status`;

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(
    `\r[bench] ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}`,
  );
  if (done === total) process.stdout.write('\n');
}

/**
 * The bench organization with `items` content items (bulk inserts of 5,000 rows, generated in SQL), each
 * with its version 1 snapshot; published items point readers at it. Idempotent: a database that already
 * holds the items is reused, so a second run starts in seconds.
 */
export async function seedBenchOrganization(
  db: Database,
  items: number,
  deliverySecret: string,
): Promise<{ created: number; reused: boolean }> {
  await db.execute(sql`
    insert into organizations (id, name, slug, api_rate_limit_per_minute)
    values (${BENCH_ORG.id}, ${BENCH_ORG.name}, ${BENCH_ORG.slug}, 1000000)
    on conflict (id) do update set api_rate_limit_per_minute = 1000000`);
  for (const role of ['org_admin', 'editor', 'approver'] as const) {
    await db.execute(sql`
      insert into users (id, organization_id, email, role) values (${benchUserId(role)}, ${BENCH_ORG.id}, ${benchUserEmail(role)}, ${role})
      on conflict (id) do nothing`);
  }
  await db.execute(sql`
    insert into delivery_tokens (organization_id, name, prefix, secret_hash, created_by)
    values (${BENCH_ORG.id}, 'bench', ${deliverySecret.slice(0, 13)}, ${await hashApiKeySecret(deliverySecret)}, ${benchUserId('org_admin')})
    on conflict (secret_hash) do nothing`);

  const existing = Number(
    (
      await db.execute<{ n: string }>(
        sql`select count(*) as n from content where organization_id = ${BENCH_ORG.id} and title like 'Bench item %'`,
      )
    ).rows[0]?.n ?? 0,
  );
  if (existing >= items) return { created: 0, reused: true };

  for (let from = existing; from < items; from += BATCH) {
    const to = Math.min(items, from + BATCH) - 1;
    // One statement per batch: the items, then their version 1 snapshots from what was inserted.
    await db.execute(
      sql.raw(`
      with inserted as (
        insert into content (id, organization_id, creator_id, type, title, body, platforms, status, quality_score,
                             compliance_status, published_at, published_version, version, created_at, updated_at)
        select ${benchContentSql('i')}, '${BENCH_ORG.id}', '${benchUserId('editor')}',
               (array['market_update','education','news_analysis','custom'])[1 + i % 4]::content_type,
               'Bench item ' || i,
               repeat('Markets moved on the data; here is what it means for the week ahead. ', 16),
               case i % 3 when 0 then array['web','app'] when 1 then array['web','newsletter'] else array['app','social'] end,
               ${statusCase},
               8, 'approved',
               case when i % 20 < 11 then now() - make_interval(secs => i) end,
               case when i % 20 < 11 then 1 end,
               1, now() - make_interval(secs => i), now() - make_interval(secs => i)
        from generate_series(${from}, ${to}) as i
        on conflict (id) do nothing
        returning *
      )
      insert into content_versions (content_id, version, organization_id, action, snapshot, author_type, author_id)
      select id, 1, organization_id, 'content.create',
             jsonb_build_object('type', type, 'title', title, 'body', body, 'platforms', to_jsonb(platforms), 'status', status,
                                'qualityScore', quality_score, 'complianceStatus', compliance_status,
                                'publishedAt', to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'publishedVersion', published_version, 'creatorId', creator_id, 'version', 1),
             'user', creator_id
      from inserted`),
    );
    progress('seeding content', to + 1, items);
  }
  // As autovacuum would have by then: statistics, and a visibility map so counts can use index-only scans.
  await db.execute(sql`vacuum analyze content`);
  await db.execute(sql`vacuum analyze content_versions`);
  return { created: items - existing, reused: false };
}
