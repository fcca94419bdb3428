import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, content, contentVersions, outbox } from '../../../src/db/schema/index.ts';
import { putPolicy } from '../editorial-policy/fixtures.ts';
import { call, jsonHeaders, readProblem, useHarness, type Headers } from '../harness.ts';

const { db, useTenant } = useHarness();
const tenant = useTenant();
const other = useTenant();
const DISCLAIMER = 'Not investment advice. Capital at risk.';
const TITLE = 'Rates on hold: what the central bank decision means';
const PROSE = Array.from(
  { length: 4 },
  (_, i) =>
    `Part ${i + 1}. The central bank kept rates on hold this week, citing sticky services inflation. ` +
    `Investors now expect a first cut in the spring. Bond yields fell while the dollar weakened.`,
).join('\n\n');

interface Score {
  qualityScore: number;
  qualityBreakdown: { total: number; cap: { limit: number } | null; criteria: { name: string }[] };
  complianceStatus: string;
  complianceNote: string | null;
  prohibitedPhrases: { phrase: string; title: Match[]; body: Match[] }[];
  disclaimer: { required: boolean; text: string | null; present: boolean | null };
  approvalThreshold: number;
  meetsThreshold: boolean;
}
interface Match {
  start: number;
  end: number;
  text: string;
}

const score = (headers: Headers, body: unknown) =>
  call('/api/v1/content/score', { method: 'POST', headers: jsonHeaders(headers), body: JSON.stringify(body) });

const scored = async (body: Record<string, unknown>, headers = tenant.users.editor.headers) => {
  const res = await score(headers, { type: 'education', title: TITLE, body: PROSE, ...body });
  expect(res.status).toBe(200);
  return (await res.json()) as Score;
};

beforeAll(async () => {
  const res = await putPolicy(tenant.users.org_admin.headers, {
    prohibitedPhrases: ['guaranteed returns', 'risk-free'],
    requiredDisclaimer: DISCLAIMER,
    approvalThreshold: 6,
  });
  expect(res.status).toBe(200);
});

describe('POST /api/v1/content/score (dry run of a save)', () => {
  it('returns what a save stores: the same score, breakdown and compliance as the created item', async () => {
    const text = { type: 'market_update', title: 'Risk free? Not quite', body: `${PROSE}\n\nGuaranteed returns!` };
    const dry = await scored(text);
    const res = await call('/api/v1/content', {
      method: 'POST',
      headers: jsonHeaders(tenant.users.editor.headers),
      body: JSON.stringify({ ...text, platforms: ['web'] }),
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as Record<string, unknown>;
    expect(dry).toMatchObject({
      qualityScore: saved.qualityScore,
      qualityBreakdown: saved.qualityBreakdown,
      complianceStatus: saved.complianceStatus,
      complianceNote: saved.complianceNote,
    });
    expect(dry.qualityBreakdown.cap).toMatchObject({ limit: 5 });
    expect(dry.disclaimer).toEqual({ required: true, text: DISCLAIMER, present: false });
    expect(dry.meetsThreshold).toBe(false);
  });

  it('locates each flagged phrase in the title and body by offset, as written', async () => {
    const body = `Intro.\n\nThis is **Risk free**, and risk-free: guaranteed\n returns.`;
    const dry = await scored({ title: 'Guaranteed returns, risk free', body });
    expect(dry.complianceStatus).toBe('flagged');
    expect(dry.prohibitedPhrases.map((p) => p.phrase)).toEqual(['guaranteed returns', 'risk-free']);
    const [guaranteed, risk] = dry.prohibitedPhrases;
    expect(guaranteed!.title).toEqual([{ start: 0, end: 18, text: 'Guaranteed returns' }]);
    expect(guaranteed!.body.map((m) => m.text)).toEqual(['guaranteed\n returns']);
    expect(risk!.body.map((m) => m.text)).toEqual(['Risk free', 'risk-free']);
    for (const m of risk!.body) expect(body.slice(m.start, m.end)).toBe(m.text);
    expect(risk!.title).toEqual([{ start: 20, end: 29, text: 'risk free' }]);
  });

  it('reports the disclaimer as present when the body has it, and the cap goes', async () => {
    const dry = await scored({ type: 'news_analysis', body: `${PROSE}\n\n_${DISCLAIMER}_` });
    expect(dry.disclaimer).toEqual({ required: true, text: DISCLAIMER, present: true });
    expect(dry.qualityBreakdown.cap).toBeNull();
    expect(dry).toMatchObject({ complianceStatus: 'pending', complianceNote: null, approvalThreshold: 6 });
    const education = await scored({ type: 'education' });
    expect(education.disclaimer).toEqual({ required: false, text: DISCLAIMER, present: null });
  });

  it("applies the caller's own organization's policy, never another's", async () => {
    const text = { title: 'Guaranteed returns for all', body: PROSE, type: 'market_update' };
    const theirs = await scored(text, other.users.editor.headers);
    expect(theirs).toMatchObject({ complianceStatus: 'pending', prohibitedPhrases: [] });
    expect(theirs.disclaimer.required).toBe(false);
    expect(theirs.qualityBreakdown.cap).toBeNull();
    const ours = await scored(text);
    expect(ours.complianceStatus).toBe('flagged');
  });

  it('scores an empty title and body (0) rather than refusing them', async () => {
    const dry = await scored({ title: '', body: '' });
    expect(dry.qualityScore).toBe(0);
  });

  it('400 for bad input, naming the field', async () => {
    const h = tenant.users.editor.headers;
    const cases: [unknown, string][] = [
      [{ type: 'poem', title: 'x', body: '' }, 'body.type'],
      [{ type: 'education', title: 'x'.repeat(201), body: '' }, 'body.title'],
      [{ type: 'education', title: 'x', body: 42 }, 'body.body'],
      [{ type: 'education', title: 'x', body: '', platforms: ['Not A Slug'] }, 'body.platforms.0'],
      [{ type: 'education', title: 'x', body: '', qualityScore: 10 }, 'body'],
    ];
    for (const [body, path] of cases) {
      const res = await score(h, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await readProblem(res);
      expect(problem.errors.map((e) => e.path).join(' ')).toContain(path);
    }
  });

  it('401 without credentials; 403 for a viewer and an approver (which may edit only its own items)', async () => {
    const body = { type: 'education', title: TITLE, body: PROSE };
    const anonymous = await call('/api/v1/content/score', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(anonymous.status).toBe(401);
    expect((await score(tenant.users.viewer.headers, body)).status).toBe(403);
    expect((await score(tenant.users.approver.headers, body)).status).toBe(403);
    expect((await score(tenant.users.org_admin.headers, body)).status).toBe(200);
  });

  it('writes nothing: no content, version, audit entry or event', async () => {
    const org = tenant.id;
    const counts = async () => ({
      content: (await db.select({ n: count() }).from(content).where(eq(content.organizationId, org)))[0]!.n,
      versions: (
        await db.select({ n: count() }).from(contentVersions).where(eq(contentVersions.organizationId, org))
      )[0]!.n,
      audit: (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, org)))[0]!.n,
      outbox: (await db.select({ n: count() }).from(outbox).where(eq(outbox.organizationId, org)))[0]!.n,
    });
    const before = await counts();
    await scored({ body: `${PROSE}\n\nguaranteed returns` });
    await scored({ type: 'market_update' });
    expect(await counts()).toEqual(before);
  });
});
