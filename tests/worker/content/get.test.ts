import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../../src/db/schema/index.ts';
import { authHeaders, seededContentId, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { insertContent, type ContentBody } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db } = useHarness();
let item: Content;
beforeAll(async () => {
  item = await insertContent(db, {
    creatorId: userId('editor'),
    version: 3,
    engagementStats: { views: 12 },
    qualityScore: 8.5,
  });
});

async function get(id: string, extra: Record<string, string> = {}, org: 'demo' | 'globex' = 'demo') {
  return call(`/api/v1/content/${id}`, { headers: await authHeaders('viewer', org, extra) });
}

describe('GET /api/v1/content/{id}', () => {
  it('returns the item with its version as a strong ETag', async () => {
    const res = await get(item.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"3"');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect((await res.json()) as ContentBody).toEqual({
      id: item.id,
      organizationId: item.organizationId,
      creatorId: userId('editor'),
      type: 'education',
      title: item.title,
      body: '',
      platforms: item.platforms,
      status: 'draft',
      qualityScore: 8.5,
      qualityBreakdown: null,
      complianceStatus: 'pending',
      complianceNote: null,
      publishedVersion: null,
      scheduleError: null,
      scheduleFailedAt: null,
      scheduledAt: null,
      publishedAt: null,
      engagementStats: { views: 12 },
      version: 3,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    });
  });

  for (const header of ['"3"', 'W/"3"', '"1", "3"', '"x",W/"3"', '*']) {
    it(`304 with the ETag and no body for If-None-Match: ${header}`, async () => {
      const res = await get(item.id, { 'if-none-match': header });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe('"3"');
      expect(await res.text()).toBe('');
    });
  }

  it('200 when If-None-Match names another version', async () => {
    const res = await get(item.id, { 'if-none-match': '"2", W/"4"' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ContentBody).version).toBe(3);
  });

  it('404 for an unknown id, and for another organization\u2019s item (even with If-None-Match: *)', async () => {
    const unknown = await get(crypto.randomUUID());
    expect(unknown.status).toBe(404);
    expect((await readProblem(unknown)).code).toBe('not_found');
    const foreign = await get(seededContentId(0, 'demo'), { 'if-none-match': '*' }, 'globex');
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('etag')).toBeNull();
  });

  it('400 for a malformed id, naming it', async () => {
    const res = await get('not-a-uuid');
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors.map((e) => e.path)).toEqual(['path.id']);
  });

  it('401 without credentials', async () => {
    expect((await call(`/api/v1/content/${item.id}`)).status).toBe(401);
  });
});
