import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentVersions } from '../../../src/db/schema/index.ts';
import type { QualityBreakdown } from '../../../src/services/quality/evaluate-content.ts';
import { call } from '../helpers.ts';
import { putPolicy } from '../editorial-policy/fixtures.ts';
import { readContent, uniquePlatform } from '../content/fixtures.ts';
import { jsonHeaders, useHarness } from '../harness.ts';

const { db, newTenant } = useHarness();
const DISCLAIMER = 'Not investment advice. Capital at risk.';
const PROSE = Array.from(
  { length: 4 },
  (_, i) =>
    `Part ${i + 1}. The central bank kept rates on hold this week, citing sticky services inflation. ` +
    `Investors now expect a first cut in the spring. Bond yields fell while the dollar weakened. ` +
    `Shares rallied, led by real estate and utilities.`,
).join('\n\n');
const TITLE = 'Rates on hold: what the central bank decision means';

interface Item {
  id: string;
  qualityScore: number | null;
  qualityBreakdown: QualityBreakdown | null;
  complianceStatus: string;
  complianceNote: string | null;
  version: number;
}

let editor: { id: string; headers: Record<string, string> };
beforeAll(async () => {
  const { users } = await newTenant();
  editor = users.editor;
  const res = await putPolicy(users.org_admin.headers, {
    prohibitedPhrases: ['guaranteed returns', 'risk-free'],
    requiredDisclaimer: DISCLAIMER,
  });
  expect(res.status).toBe(200);
});

const create = async (body: Record<string, unknown>) => {
  const res = await call('/api/v1/content', {
    method: 'POST',
    headers: jsonHeaders(editor.headers),
    body: JSON.stringify({ type: 'education', title: TITLE, platforms: [uniquePlatform()], ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Item;
};
const update = async (id: string, body: Record<string, unknown>) => {
  const res = await call(`/api/v1/content/${id}`, {
    method: 'PUT',
    headers: jsonHeaders(editor.headers),
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Item;
};

describe('quality and compliance screening on save (through the API)', () => {
  it('flags content with a prohibited phrase on create, naming the phrase; the score and breakdown are stored and versioned', async () => {
    const item = await create({ body: `${PROSE}\n\nGuaranteed  returns!` });
    expect(item.complianceStatus).toBe('flagged');
    expect(item.complianceNote).toContain('"guaranteed returns"');
    expect(item.qualityScore).toBe(item.qualityBreakdown!.total);
    expect(item.qualityScore).toBeGreaterThan(7);
    expect(item.qualityBreakdown!.criteria.map((c) => c.name)).toEqual([
      'title',
      'body_length',
      'structure',
      'readability',
    ]);

    const row = await readContent(db, item.id);
    expect(row).toMatchObject({
      complianceStatus: 'flagged',
      qualityScore: item.qualityScore,
      qualityBreakdown: item.qualityBreakdown,
    });
    const [version] = await db
      .select()
      .from(contentVersions)
      .where(and(eq(contentVersions.contentId, item.id), eq(contentVersions.version, 1)));
    expect(version!.snapshot).toMatchObject({
      qualityScore: item.qualityScore,
      complianceStatus: 'flagged',
      complianceNote: item.complianceNote,
    });
  });

  it('recomputes on PUT: the score follows the text, and removing the phrase resets compliance to pending', async () => {
    const item = await create({ title: 'Risk free income?', body: 'Short.' });
    expect(item).toMatchObject({ complianceStatus: 'flagged', complianceNote: expect.stringContaining('"risk-free"') });
    const low = item.qualityScore!;

    const better = await update(item.id, { title: TITLE, body: PROSE });
    expect(better.qualityScore).toBeGreaterThan(low);
    expect(better.qualityBreakdown!.total).toBe(better.qualityScore);
    expect(better).toMatchObject({ complianceStatus: 'pending', complianceNote: null, version: 2 });
    expect(await readContent(db, item.id)).toMatchObject({
      qualityScore: better.qualityScore,
      complianceStatus: 'pending',
    });

    const worse = await update(item.id, { body: 'Now short again.' });
    expect(worse.qualityScore).toBeLessThan(better.qualityScore!);
  });

  it('caps a market_update without the required disclaimer at 5, saying why; with it, no cap', async () => {
    const missing = await create({ type: 'market_update', body: PROSE });
    expect(missing.qualityScore).toBe(5);
    expect(missing.qualityBreakdown!.cap).toEqual({
      limit: 5,
      reason: "market_update content must include the organization's required disclaimer",
    });

    const fixed = await update(missing.id, { body: `${PROSE}\n\n_${DISCLAIMER.toLowerCase()}_` });
    expect(fixed.qualityBreakdown!.cap).toBeNull();
    expect(fixed.qualityScore).toBeGreaterThan(5);
  });
});
