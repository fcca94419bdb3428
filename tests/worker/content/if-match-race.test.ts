import { and, count, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { auditLog, contentVersions } from '../../../src/db/schema/index.ts';
import { call, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { tenantItem } from '../workflow/fixtures.ts';
import { readContent } from './fixtures.ts';

/**
 * Optimistic concurrency under a crowd (issue 14, item 5): rounds of concurrent PUTs on one item, all with
 * the same If-Match; in every round exactly one wins and the rest get 412, and the database shows exactly
 * that one write (one version, one audit row). Sized by IF_MATCH_ROUNDS and IF_MATCH_WRITERS:
 * `npm test` runs 5 rounds of 50, `npm run reliability` 100 rounds of 50 (docs/reliability.md).
 */

const { rounds: ROUNDS, writers: WRITERS } = inject('ifMatchRace');

const { db, useTenant } = useHarness();
const org = useTenant();

async function round(n: number): Promise<{ winners: number; problems: string[] }> {
  const item = await tenantItem(db, org, { title: `Race ${n}` });
  const responses = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      call(`/api/v1/content/${item.id}`, {
        method: 'PUT',
        headers: { ...org.users.editor.headers, 'content-type': 'application/json', 'if-match': `"${item.version}"` },
        body: JSON.stringify({ title: `Round ${n} writer ${i}` }),
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  await Promise.all(responses.map((r) => r.body?.cancel()));
  const winners = statuses.filter((s) => s === 200).length;
  const problems: string[] = [];
  const label = `round ${n + 1}`;
  if (winners !== 1) problems.push(`${label}: ${winners} winners`);
  const others = statuses.filter((s) => s !== 200 && s !== 412);
  if (others.length > 0) problems.push(`${label}: answers other than 200/412: ${others.join(',')}`);
  const [row, [versions], [audits]] = await Promise.all([
    readContent(db, item.id),
    db.select({ n: count() }).from(contentVersions).where(eq(contentVersions.contentId, item.id)),
    db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, item.id), eq(auditLog.action, 'content.update'))),
  ]);
  if (row?.version !== item.version + 1) problems.push(`${label}: version ${row?.version}`);
  if (versions!.n !== 1 || audits!.n !== 1) problems.push(`${label}: ${versions!.n} versions, ${audits!.n} audit rows`);
  return { winners, problems };
}

describe(`${WRITERS} concurrent PUTs with the same If-Match, ${ROUNDS} rounds`, () => {
  it('exactly one winner per round; the others 412; one write each in the database', {
    timeout: 60_000 + ROUNDS * 10_000,
  }, async () => {
    const problems: string[] = [];
    let winners = 0;
    for (let n = 0; n < ROUNDS; n++) {
      const result = await round(n);
      winners += result.winners;
      problems.push(...result.problems);
    }
    const failedRounds = new Set(problems.map((p) => p.split(':')[0])).size;
    score('if-match-race', { tried: ROUNDS, failed: failedRounds, figures: { puts: ROUNDS * WRITERS, winners } });
    expect(problems).toEqual([]);
  });
});
