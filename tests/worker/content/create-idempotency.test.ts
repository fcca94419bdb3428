import { describe, expect, it } from 'vitest';
import { readProblem } from '../helpers.ts';
import { contentByPlatform, postContent, validBody, type ContentBody } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, insertUser, useUser } = useHarness();
const author = useUser(ORG_ID.demo, 'editor');

const withKey = (key: string) => ({ 'idempotency-key': key });

describe('POST /api/v1/content with Idempotency-Key', () => {
  it('replays a repeat: same status, body, Location and ETag, and creates one row', async () => {
    const key = crypto.randomUUID();
    const body = validBody();
    const first = await postContent(author.headers, body, withKey(key));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();

    const repeat = await postContent(author.headers, body, withKey(key));
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.headers.get('location')).toBe(first.headers.get('location'));
    expect(repeat.headers.get('etag')).toBe('"1"');
    expect(await repeat.text()).toBe(firstBody);

    const rows = await contentByPlatform(db, body.platforms[0]!);
    expect(rows.map((r) => r.id)).toEqual([(JSON.parse(firstBody) as ContentBody).id]);
  });

  it('422 when the key is reused with a different body; the second body creates nothing', async () => {
    const key = crypto.randomUUID();
    expect((await postContent(author.headers, validBody(), withKey(key))).status).toBe(201);
    const other = validBody();
    const res = await postContent(author.headers, other, withKey(key));
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('idempotency_key_reused');
    expect(await contentByPlatform(db, other.platforms[0]!)).toHaveLength(0);
  });

  it('a failed first attempt is not stored: the corrected retry with the same key creates', async () => {
    const key = crypto.randomUUID();
    const body = validBody({ platforms: [] });
    expect((await postContent(author.headers, body, withKey(key))).status).toBe(422);
    const fixed = validBody();
    // A different body under the same key is allowed only because nothing was stored for the failure.
    expect((await postContent(author.headers, fixed, withKey(key))).status).toBe(201);
    expect(await contentByPlatform(db, fixed.platforms[0]!)).toHaveLength(1);
  });

  it('concurrent repeats create exactly one row; the others replay it or are told it is in flight', async () => {
    const key = crypto.randomUUID();
    const body = validBody();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => postContent(author.headers, body, withKey(key))),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(','),
    ).toBe(true);
    const rows = await contentByPlatform(db, body.platforms[0]!);
    expect(rows).toHaveLength(1);
    for (const res of responses.filter((r) => r.status === 201)) {
      expect(((await res.json()) as ContentBody).id).toBe(rows[0]!.id);
    }
    for (const res of responses.filter((r) => r.status === 409)) {
      expect((await readProblem(res)).code).toBe('idempotency_request_in_flight');
    }
  });

  it('keys are per caller: another user with the same key creates its own item', async () => {
    const key = crypto.randomUUID();
    const other = await insertUser(ORG_ID.demo, 'editor');
    const body = validBody();
    const a = (await (await postContent(author.headers, body, withKey(key))).json()) as ContentBody;
    const b = (await (await postContent(other.headers, body, withKey(key))).json()) as ContentBody;
    expect(a.id).not.toBe(b.id);
    expect(b.creatorId).toBe(other.id);
  });
});
