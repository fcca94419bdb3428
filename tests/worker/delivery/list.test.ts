import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { organizations } from '../../../src/db/schema/index.ts';
import { readProblem } from '../helpers.ts';
import { tenantItem } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, publishedItem, signedCursor, untilDelivered, useDeliveryTenant } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);

interface Page {
  data: {
    id: string;
    type: string;
    title: string;
    platforms: string[];
    publishedAt: string;
    version: number;
    body?: string;
  }[];
  nextCursor: string | null;
}

const list = async (query = '', headers = bearer(org.token)) => {
  const res = await deliveryGet(`${org.slug}/content${query}`, headers);
  return { res, page: res.status === 200 ? ((await res.json()) as Page) : undefined };
};

describe('GET /delivery/v1/{org}/content', () => {
  it('lists published items only, newest first, filtered by type and platform of the published snapshot, without bodies', async () => {
    const a = await publishedItem(db, org, { type: 'education', platforms: ['web'], title: 'A' });
    const b = await publishedItem(db, org, { type: 'market_update', platforms: ['web', 'app'], title: 'B' });
    const c = await publishedItem(db, org, { type: 'education', platforms: ['app'], title: 'C' });
    await tenantItem(db, org, { status: 'approved', platforms: ['web'] });
    await tenantItem(db, org, { status: 'draft', platforms: ['web'] });

    const all = await untilDelivered<Page>(
      `${org.slug}/content?limit=100`,
      bearer(org.token),
      (_s, page) => (page?.data.length ?? 0) >= 3,
    );
    const ids = all.body!.data.map((item) => item.id);
    expect(ids.slice(0, 3)).toEqual([c.id, b.id, a.id]);
    expect(all.body!.data[0]).toEqual({
      id: c.id,
      type: 'education',
      title: 'C',
      platforms: ['app'],
      publishedAt: expect.any(String),
      version: c.version,
    });
    expect(all.body!.data.every((item) => item.body === undefined)).toBe(true);

    expect((await list('?type=education&limit=100')).page!.data.map((i) => i.id)).toEqual([c.id, a.id]);
    expect((await list('?platform=web&limit=100')).page!.data.map((i) => i.id)).toEqual([b.id, a.id]);
    expect((await list('?platform=app&type=market_update')).page!.data.map((i) => i.id)).toEqual([b.id]);
    expect((await list('?platform=nowhere')).page).toEqual({ data: [], nextCursor: null });
  });

  it('pages with an opaque cursor: every item once, in order, and a null cursor at the end', async () => {
    for (let i = 0; i < 5; i++) await publishedItem(db, org, { platforms: ['paged'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { page } = await list(`?platform=paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page!.data.map((item) => item.id));
      cursor = page!.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const { page: whole } = await list('?platform=paged&limit=100');
    expect(seen).toEqual(whole!.data.map((item) => item.id));
  });

  it('400 for a limit out of 1–100, an unknown type, a bad platform, a forged cursor or an unknown parameter', async () => {
    for (const [query, path] of [
      ['?limit=0', 'query.limit'],
      ['?limit=101', 'query.limit'],
      ['?limit=ten', 'query.limit'],
      ['?type=podcast', 'query.type'],
      ['?platform=Web!', 'query.platform'],
      ['?cursor=not-a-cursor', 'query.cursor'],
      [`?cursor=${btoa(JSON.stringify({ p: '2026-01-01T00:00:00Z', i: 'x' }))}`, 'query.cursor'],
      ['?status=draft', 'query.status'],
    ] as const) {
      const { res } = await list(query);
      expect(res.status, query).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        query,
      ).toContain(path);
    }
  });

  describe('a cursor with an extreme instant, even without credentials on a public organization', () => {
    const open = harness.useTenant();
    let slug = '';
    beforeAll(async () => {
      const [row] = await db
        .update(organizations)
        .set({ deliveryPublic: true })
        .where(eq(organizations.id, open.id))
        .returning({ slug: organizations.slug });
      slug = row!.slug;
    });
    // Signed with the Worker's key, as if it had issued them: the instant is checked all the same.
    const cursor = (p: string) => signedCursor(open.id, { publishedAt: p, id: crypto.randomUUID() });

    // Its instant goes to PostgreSQL, which refuses year 0000 and +010000-…: those were 500s.
    it('400 invalid_cursor for an instant outside years 0001–9999 once converted to UTC', async () => {
      for (const p of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00+01:00']) {
        const res = await deliveryGet(`${slug}/content?cursor=${await cursor(p)}`);
        expect(res.status, p).toBe(400);
        expect(await readProblem(res), p).toMatchObject({
          code: 'invalid_cursor',
          errors: [{ path: 'query.cursor', code: 'invalid_cursor' }],
        });
      }
    });

    it('pages from the first and the last instant of years 0001–9999', async () => {
      for (const p of ['0001-01-01T00:00:00.000000Z', '9999-12-31T23:59:59.999999Z']) {
        const res = await deliveryGet(`${slug}/content?cursor=${await cursor(p)}`);
        expect(res.status, p).toBe(200);
        expect(await res.json(), p).toEqual({ data: [], nextCursor: null });
      }
    });
  });

  it('a strong ETag that is a digest of the page; If-None-Match answers 304; lists are tagged for purging', async () => {
    await publishedItem(db, org, { platforms: ['etag'] });
    const { res } = await list('?platform=etag');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"l\.[A-Za-z0-9_-]{32}"$/);
    expect(res.headers.get('cache-tag')).toBe(`org-${org.id},org-${org.id}-lists`);
    const again = await deliveryGet(`${org.slug}/content?platform=etag`, {
      ...bearer(org.token),
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
  });
});
