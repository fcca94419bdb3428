import { describe, expect, it } from 'vitest';
import { authHeaders, seededContentId, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { insertContent, readContent, uniquePlatform, type ContentBody } from './fixtures.ts';
import { evaluateContent, type ContentText } from '../../../src/services/quality/evaluate-content.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const scoreOf = (text: ContentText) =>
  evaluateContent(text, { approvalThreshold: 7, prohibitedPhrases: [], requiredDisclaimer: null }).qualityScore;

const { db, auditRows, useUser } = useHarness();
const owner = useUser(ORG_ID.demo, 'editor');

function put(id: string, headers: Record<string, string>, body: unknown, extra: Record<string, string> = {}) {
  return call(`/api/v1/content/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers, ...extra },
    body: JSON.stringify(body),
  });
}

const ownItem = (values: Partial<Parameters<typeof insertContent>[1]> = {}) =>
  insertContent(db, { creatorId: owner.id, ...values });

describe('PUT /api/v1/content/{id}', () => {
  it('applies the fields sent, bumps the version once and audits the changed fields', async () => {
    const item = await ownItem({ title: 'Before', body: 'Kept', updatedAt: new Date(Date.now() - 60_000) });
    const platform = uniquePlatform();
    const res = await put(
      item.id,
      owner.headers,
      { title: '  After  ', platforms: [platform, platform, 'web'] },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    const body = (await res.json()) as ContentBody;
    expect(body).toMatchObject({
      id: item.id,
      title: 'After',
      body: 'Kept',
      platforms: [platform, 'web'],
      version: 2,
      status: 'draft',
    });

    const row = await readContent(db, item.id);
    expect(row).toMatchObject({ title: 'After', body: 'Kept', platforms: [platform, 'web'], version: 2 });
    expect(row!.updatedAt.getTime()).toBeGreaterThan(item.updatedAt.getTime());

    const audit = await auditRows({ type: 'content', id: item.id, action: 'content.update' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: 'user',
      actorId: owner.id,
      entityType: 'content',
      requestId: res.headers.get('x-request-id'),
    });
    // Every save re-scores the text, so the score's change is audited with the edit.
    expect(audit[0]!.changes).toEqual({
      before: { title: 'Before', platforms: item.platforms, qualityScore: null, version: 1 },
      after: {
        title: 'After',
        platforms: [platform, 'web'],
        qualityScore: scoreOf({ type: item.type, title: 'After', body: 'Kept' }),
        version: 2,
      },
    });
  });

  it('applies without If-Match, with If-Match: * and with a list that holds the version; clears the schedule with null', async () => {
    const item = await ownItem({ scheduledAt: new Date(Date.now() + 86_400_000) });
    expect((await put(item.id, owner.headers, { type: 'custom' })).status).toBe(200);
    expect((await put(item.id, owner.headers, { body: 'two' }, { 'if-match': '*' })).status).toBe(200);
    const res = await put(item.id, owner.headers, { scheduledAt: null }, { 'if-match': '"1", "3"' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'custom', body: 'two', scheduledAt: null, version: 4 });
    expect(await readContent(db, item.id)).toMatchObject({ scheduledAt: null, version: 4 });
  });

  it('sets a future schedule', async () => {
    const item = await ownItem();
    const scheduledAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await put(item.id, owner.headers, { scheduledAt });
    expect(((await res.json()) as ContentBody).scheduledAt).toBe(scheduledAt);
  });

  it('412 when If-Match names another version (or a weak tag): nothing changes, nothing is audited', async () => {
    const item = await ownItem({ title: 'Stays' });
    for (const ifMatch of ['"2"', 'W/"1"', '1']) {
      const res = await put(item.id, owner.headers, { title: 'Lost update' }, { 'if-match': ifMatch });
      expect(res.status).toBe(412);
      const problem = await readProblem(res);
      expect(problem.code).toBe('precondition_failed');
      expect(problem.detail).toContain('"1"');
    }
    expect(await readContent(db, item.id)).toMatchObject({ title: 'Stays', version: 1 });
    expect(await auditRows({ type: 'content', id: item.id })).toHaveLength(0);
  });

  it('409 for archived content, naming the status; nothing changes', async () => {
    const item = await ownItem({ status: 'archived', title: 'Archived' });
    const res = await put(item.id, owner.headers, { title: 'Revived' });
    expect(res.status).toBe(409);
    const problem = await readProblem(res);
    expect(problem.code).toBe('content_archived');
    expect(problem.detail).toContain('archived');
    expect(await readContent(db, item.id)).toMatchObject({ title: 'Archived', version: 1 });
  });

  describe('who may edit', () => {
    it('an editor edits anyone\u2019s content', async () => {
      const item = await ownItem();
      const res = await put(item.id, await authHeaders('editor'), { title: 'Edited by an editor' });
      expect(res.status).toBe(200);
      expect(await auditRows({ type: 'content', id: item.id, action: 'content.update' })).toMatchObject([
        { actorId: userId('editor') },
      ]);
    });

    it('an approver edits its own content only', async () => {
      const own = await insertContent(db, { creatorId: userId('approver'), title: 'Approver draft' });
      const ok = await put(own.id, await authHeaders('approver'), { title: 'Approver edit' });
      expect(ok.status).toBe(200);
      expect(await readContent(db, own.id)).toMatchObject({ title: 'Approver edit', version: 2 });

      const others = await ownItem({ title: 'Not yours' });
      const denied = await put(others.id, await authHeaders('approver'), { title: 'Approver edit' });
      expect(denied.status).toBe(403);
      expect((await readProblem(denied)).code).toBe('not_content_owner');
      expect(await readContent(db, others.id)).toMatchObject({ title: 'Not yours', version: 1 });
      expect(await auditRows({ type: 'content', id: others.id })).toHaveLength(0);
    });

    it('a viewer edits nothing, not even what it created', async () => {
      const item = await insertContent(db, { creatorId: userId('viewer'), title: 'Viewer row' });
      const res = await put(item.id, await authHeaders('viewer'), { title: 'Viewer edit' });
      expect(res.status).toBe(403);
      expect(await readContent(db, item.id)).toMatchObject({ title: 'Viewer row', version: 1 });
    });

    it('401 without credentials', async () => {
      const item = await ownItem();
      expect((await put(item.id, {}, { title: 'x' })).status).toBe(401);
    });

    it('404 for another organization\u2019s item, which stays unchanged', async () => {
      const id = seededContentId(1, 'demo');
      const before = await readContent(db, id);
      const res = await put(
        id,
        await authHeaders('editor', 'globex'),
        { title: 'Hijacked' },
        { 'if-match': `"${before!.version}"` },
      );
      expect(res.status).toBe(404);
      expect(await readContent(db, id)).toEqual(before);
    });

    it('404 for an unknown id, 400 for a malformed one', async () => {
      expect((await put(crypto.randomUUID(), owner.headers, { title: 'x' })).status).toBe(404);
      const malformed = await put('42', owner.headers, { title: 'x' });
      expect(malformed.status).toBe(400);
      expect((await readProblem(malformed)).errors.map((e) => e.path)).toContain('path.id');
    });
  });

  describe('request body', () => {
    it('400 for an empty body', async () => {
      const item = await ownItem();
      const res = await put(item.id, owner.headers, {});
      expect(res.status).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path)).toEqual(['body']);
    });

    const serverOwned = [
      'status',
      'organizationId',
      'organization_id',
      'creatorId',
      'creator_id',
      'publishedAt',
      'published_at',
      'engagementStats',
      'engagement_stats',
      'version',
      'qualityScore',
      'quality_score',
      'complianceStatus',
      'compliance_status',
      'id',
      'createdAt',
      'created_at',
      'updatedAt',
      'updated_at',
    ];
    it('refuses every server-owned field, in either spelling, naming it; nothing changes', async () => {
      const item = await ownItem({ title: 'Untouched' });
      for (const field of serverOwned) {
        const res = await put(item.id, owner.headers, { title: 'Changed', [field]: field === 'version' ? 9 : 'x' });
        expect(res.status, field).toBe(400);
        expect((await readProblem(res)).errors).toEqual([
          { path: `body.${field}`, message: 'server-owned field', code: 'server_owned_field' },
        ]);
      }
      expect(await readContent(db, item.id)).toMatchObject({ title: 'Untouched', status: 'draft', version: 1 });
    });

    it('400 for unknown fields and bad values, naming them', async () => {
      const item = await ownItem();
      const cases: [Record<string, unknown>, string][] = [
        [{ title: 'x', color: 'red' }, 'body.color'],
        [{ title: '' }, 'body.title'],
        [{ title: 'y'.repeat(201) }, 'body.title'],
        [{ type: 'opinion' }, 'body.type'],
        [{ platforms: ['UPPER'] }, 'body.platforms.0'],
        [{ scheduledAt: '2030-13-01T00:00:00Z' }, 'body.scheduledAt'],
        [{ body: null }, 'body.body'],
      ];
      for (const [body, path] of cases) {
        const res = await put(item.id, owner.headers, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
      }
      expect((await readContent(db, item.id))!.version).toBe(1);
    });

    it('400 naming body.scheduledAt outside years 0001–9999 once converted to UTC; the last instant of 9999 is fine', async () => {
      const item = await ownItem();
      for (const scheduledAt of ['9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00Z']) {
        const res = await put(item.id, owner.headers, { scheduledAt });
        expect(res.status, scheduledAt).toBe(400);
        expect(await readProblem(res)).toMatchObject({
          code: 'validation_failed',
          errors: [{ path: 'body.scheduledAt' }],
        });
      }
      expect((await readContent(db, item.id))!.version).toBe(1);
      const last = await put(item.id, owner.headers, { scheduledAt: '9999-12-31T23:59:59.999Z' });
      expect(last.status).toBe(200);
      expect(((await last.json()) as ContentBody).scheduledAt).toBe('9999-12-31T23:59:59.999Z');
    });

    it('422 for an empty platform list or a past schedule', async () => {
      const item = await ownItem();
      const empty = await put(item.id, owner.headers, { platforms: [] });
      expect(empty.status).toBe(422);
      expect((await readProblem(empty)).code).toBe('platforms_required');
      const past = await put(item.id, owner.headers, { scheduledAt: '2020-01-01T00:00:00Z' });
      expect(past.status).toBe(422);
      expect((await readProblem(past)).code).toBe('schedule_in_past');
      expect((await readContent(db, item.id))!.version).toBe(1);
      expect(await auditRows({ type: 'content', id: item.id })).toHaveLength(0);
    });
  });

  it('of 50 concurrent PUTs with the same If-Match exactly one wins; the rest get 412', async () => {
    const item = await ownItem({ title: 'Race' });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        put(item.id, owner.headers, { title: `Writer ${i}` }, { 'if-match': '"1"' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = (await responses.find((r) => r.status === 200)!.json()) as ContentBody;
    const row = await readContent(db, item.id);
    expect(row).toMatchObject({ version: 2, title: winner.title });
    const audit = await auditRows({ type: 'content', id: item.id, action: 'content.update' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.changes.after).toEqual({
      title: winner.title,
      qualityScore: scoreOf({ type: item.type, title: winner.title, body: item.body }),
      version: 2,
    });
  }, 60_000);
});
