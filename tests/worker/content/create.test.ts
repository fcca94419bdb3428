import { describe, expect, it } from 'vitest';
import { ORG_ID, authHeaders, userId } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import {
  contentByPlatform,
  postContent,
  readContent,
  uniquePlatform,
  validBody,
  type ContentBody,
} from './fixtures.ts';
import { evaluateContent, type ContentText } from '../../../src/services/quality/evaluate-content.ts';
import { useHarness } from '../harness.ts';

const scoreOf = (text: ContentText) =>
  evaluateContent(text, { approvalThreshold: 7, prohibitedPhrases: [], requiredDisclaimer: null }).qualityScore;

const { db, auditRows, useUser } = useHarness();
const author = useUser(ORG_ID.demo, 'editor');

describe('POST /api/v1/content', () => {
  it('creates a draft owned by the caller, with Location, ETag and an audit row', async () => {
    const platform = uniquePlatform();
    const scheduledAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await postContent(author.headers, {
      type: 'news_analysis',
      title: '  Minutes, decoded  ',
      body: '## Body',
      platforms: [platform, 'web', platform],
      scheduledAt,
    });
    expect(res.status).toBe(201);
    const item = (await res.json()) as ContentBody;
    expect(res.headers.get('location')).toBe(`/api/v1/content/${item.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(item).toMatchObject({
      organizationId: ORG_ID.demo,
      creatorId: author.id,
      type: 'news_analysis',
      title: 'Minutes, decoded',
      body: '## Body',
      platforms: [platform, 'web'],
      status: 'draft',
      // Scored on save by the quality scorer (demo requires no disclaimer).
      qualityScore: scoreOf({ type: 'news_analysis', title: 'Minutes, decoded', body: '## Body' }),
      qualityBreakdown: expect.objectContaining({ scorer: 'contentos-quality/1' }),
      complianceStatus: 'pending',
      scheduledAt,
      publishedAt: null,
      engagementStats: {},
      version: 1,
    });
    expect(Date.parse(item.createdAt)).not.toBeNaN();

    const row = await readContent(db, item.id);
    expect(row).toMatchObject({
      creatorId: author.id,
      title: 'Minutes, decoded',
      platforms: [platform, 'web'],
      status: 'draft',
      version: 1,
    });
    expect(row!.scheduledAt?.toISOString()).toBe(scheduledAt);

    const audit = await auditRows({ type: 'content', id: item.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'content.create',
      actorType: 'user',
      actorId: author.id,
      organizationId: ORG_ID.demo,
      requestId: res.headers.get('x-request-id'),
    });
    expect(audit[0]!.changes.before).toEqual({});
    expect(audit[0]!.changes.after).toMatchObject({
      title: 'Minutes, decoded',
      platforms: [platform, 'web'],
      status: 'draft',
      creatorId: author.id,
      version: 1,
    });
  });

  it('defaults body to empty and accepts a schedule with an offset', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const withOffset = `${new Date(at.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
    const res = await postContent(author.headers, {
      type: 'custom',
      title: 'No body',
      platforms: [uniquePlatform()],
      scheduledAt: withOffset,
    });
    expect(res.status).toBe(201);
    const item = (await res.json()) as ContentBody;
    expect(item.body).toBe('');
    expect(Date.parse(item.scheduledAt!)).toBe(Date.parse(withOffset));
  });

  it('creates in the caller\u2019s own organization', async () => {
    const res = await postContent(await authHeaders('editor', 'globex'), validBody());
    expect(res.status).toBe(201);
    const item = (await res.json()) as ContentBody;
    expect(item).toMatchObject({ organizationId: ORG_ID.globex, creatorId: userId('editor', 'globex') });
  });

  it('401 without credentials, 403 for roles without content.create; nothing is created', async () => {
    const body = validBody();
    expect((await postContent({}, body)).status).toBe(401);
    for (const role of ['viewer', 'approver'] as const) {
      const res = await postContent(await authHeaders(role), body);
      expect(res.status).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
    expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(0);
  });

  it('422 for a super_admin creating in an organization it does not belong to', async () => {
    const body = validBody();
    const res = await postContent(
      await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
      body,
    );
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('creator_not_in_organization');
    expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(0);
  });

  // PostgreSQL refuses year 0000, and a JavaScript year past 9999 reaches it as +010000-…: both were 500s.
  it('400 naming body.scheduledAt outside years 0001–9999 once converted to UTC; the last instant of 9999 is fine', async () => {
    for (const scheduledAt of ['9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00Z']) {
      const body = validBody({ scheduledAt });
      const res = await postContent(author.headers, body);
      expect(res.status, scheduledAt).toBe(400);
      expect(await readProblem(res)).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'body.scheduledAt' }],
      });
      expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(0);
    }
    const last = await postContent(author.headers, validBody({ scheduledAt: '9999-12-31T23:59:59.999Z' }));
    expect(last.status).toBe(201);
    expect(((await last.json()) as ContentBody).scheduledAt).toBe('9999-12-31T23:59:59.999Z');
    const first = await postContent(author.headers, validBody({ scheduledAt: '0001-01-01T00:00:00Z' }));
    expect(first.status).toBe(422);
    expect((await readProblem(first)).code).toBe('schedule_in_past');
  });

  describe('validation', () => {
    const malformed: [string, Record<string, unknown>, string][] = [
      ['missing title', { title: undefined }, 'body.title'],
      ['blank title', { title: '   ' }, 'body.title'],
      ['title over 200 characters', { title: 'x'.repeat(201) }, 'body.title'],
      ['missing type', { type: undefined }, 'body.type'],
      ['unknown type', { type: 'opinion' }, 'body.type'],
      ['missing platforms', { platforms: undefined }, 'body.platforms'],
      ['platform that is not a slug', { platforms: ['Web Site'] }, 'body.platforms.0'],
      ['more than 20 platforms', { platforms: Array.from({ length: 21 }, (_, i) => `p${i}`) }, 'body.platforms'],
      ['body that is not a string', { body: 42 }, 'body.body'],
      ['schedule without an offset', { scheduledAt: '2030-01-01T10:00:00' }, 'body.scheduledAt'],
      ['schedule that is not a date', { scheduledAt: 'tomorrow' }, 'body.scheduledAt'],
      ['unknown field', { tags: ['x'] }, 'body.tags'],
      ['snake_case editable field', { scheduled_at: '2030-01-01T10:00:00Z' }, 'body.scheduled_at'],
    ];
    for (const [name, overrides, path] of malformed) {
      it(`400 for ${name}, naming ${path}`, async () => {
        const body = validBody(overrides);
        const res = await postContent(author.headers, body);
        expect(res.status).toBe(400);
        const problem = await readProblem(res);
        expect(problem.code).toBe('validation_failed');
        expect(problem.errors.map((e) => e.path)).toContain(path);
      });
    }

    it('400 for a body that is not JSON', async () => {
      const res = await postContent(author.headers, '{"title": ');
      expect(res.status).toBe(400);
      expect((await readProblem(res)).code).toBe('malformed_json');
    });

    it('422 for an empty platform list and for a schedule in the past; nothing is created', async () => {
      const empty = await postContent(author.headers, validBody({ platforms: [] }));
      expect(empty.status).toBe(422);
      const emptyProblem = await readProblem(empty);
      expect(emptyProblem).toMatchObject({ code: 'platforms_required', errors: [{ path: 'body.platforms' }] });

      const body = validBody({ scheduledAt: new Date(Date.now() - 60_000).toISOString() });
      const past = await postContent(author.headers, body);
      expect(past.status).toBe(422);
      expect(await readProblem(past)).toMatchObject({
        code: 'schedule_in_past',
        errors: [{ path: 'body.scheduledAt' }],
      });
      expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(0);
    });
  });

  describe('mass assignment', () => {
    const serverOwned: Record<string, unknown> = {
      id: crypto.randomUUID(),
      status: 'published',
      organizationId: ORG_ID.globex,
      organization_id: ORG_ID.globex,
      creatorId: crypto.randomUUID(),
      creator_id: crypto.randomUUID(),
      publishedAt: '2024-01-01T00:00:00Z',
      published_at: '2024-01-01T00:00:00Z',
      engagementStats: { views: 1_000_000 },
      engagement_stats: { views: 1_000_000 },
      version: 99,
      qualityScore: 10,
      quality_score: 10,
      complianceStatus: 'approved',
      compliance_status: 'approved',
      createdAt: '2020-01-01T00:00:00Z',
      created_at: '2020-01-01T00:00:00Z',
      updatedAt: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
    };
    for (const [field, value] of Object.entries(serverOwned)) {
      it(`refuses ${field} with 400 naming it`, async () => {
        const body = validBody({ [field]: value });
        const res = await postContent(author.headers, body);
        expect(res.status).toBe(400);
        const problem = await readProblem(res);
        expect(problem.errors).toEqual([
          { path: `body.${field}`, message: 'server-owned field', code: 'server_owned_field' },
        ]);
        expect(problem.detail).toContain(`body.${field}: server-owned field`);
        expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(0);
      });
    }

    it('names every server-owned field sent at once', async () => {
      const res = await postContent(
        author.headers,
        validBody({ status: 'approved', creator_id: author.id, version: 7 }),
      );
      expect(res.status).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path).sort()).toEqual([
        'body.creator_id',
        'body.status',
        'body.version',
      ]);
    });
  });
});
