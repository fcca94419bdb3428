import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { authHeaders } from '../auth.ts';
import { callApp, readProblem } from '../helpers.ts';
import { contentByPlatform, postContent, uniquePlatform, validBody } from './fixtures.ts';
import { jsonHeaders, ORG_ID, useHarness } from '../harness.ts';

const { db, insertUser } = useHarness();

describe('POST /api/v1/content rate limit (100 per hour per user)', () => {
  it('answers the 101st create within the hour with 429 naming "content-create"; another user is unaffected', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const platform = uniquePlatform();
    const body = validBody({ platforms: [platform] });
    for (let batch = 0; batch < 10; batch++) {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, async () => (await postContent(user.headers, body)).status),
      );
      expect(statuses).toEqual(Array(10).fill(201));
    }
    const limited = await postContent(user.headers, body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toContain('"content-create";q=100;w=3600');
    expect(limited.headers.get('ratelimit')).toMatch(/"content-create";r=0;t=\d+/);
    const problem = await readProblem(limited);
    expect(problem).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(problem.detail).toContain('content-create');
    expect(await contentByPlatform(db, platform)).toHaveLength(100);

    const other = await postContent(await authHeaders('editor', 'globex'), validBody());
    expect(other.status).toBe(201);
    expect(other.headers.get('ratelimit')).toMatch(/"content-create";r=\d+/);
    // 101 sequential writes: seconds on PostgreSQL, longer on the embedded PGlite (one query at a time).
  }, 180_000);

  it('still creates when Redis is unreachable, counting per isolate instead', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const body = validBody();
    const unreachable = { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1', CONTENT_CREATE_LIMIT_PER_HOUR: '2' };
    const post = () =>
      callApp(
        createApp(),
        '/api/v1/content',
        { method: 'POST', headers: jsonHeaders(user.headers), body: JSON.stringify(body) },
        unreachable,
      );
    const first = await post();
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-policy')).toContain('"content-create";q=2;w=3600');
    expect((await post()).status).toBe(201);
    // The fallback keeps the same limit rather than letting everything through.
    expect((await post()).status).toBe(429);
    expect(await contentByPlatform(db, body.platforms[0]!)).toHaveLength(2);
  });
});
