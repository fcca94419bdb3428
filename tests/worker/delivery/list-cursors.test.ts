import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { toBase64Url } from '../../../src/lib/bytes.ts';
import { encodeCursor } from '../../../src/services/delivery/list-cursor.ts';
import { readProblem } from '../helpers.ts';
import { unique, useHarness } from '../harness.ts';
import { bearer, deliveryGet, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
const other = useDeliveryTenant(harness);

interface Page {
  data: { id: string; publishedAt: string }[];
  nextCursor: string | null;
}

const platform = `cur${unique()}`;
let firstPage: Page;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) await publishedItem(db, org, { platforms: [platform], type: 'education' });
  firstPage = (
    await untilDelivered<Page>(
      `${org.slug}/content?platform=${platform}&limit=1`,
      bearer(org.token),
      (_s, page) => page?.nextCursor !== null && page !== undefined,
    )
  ).body!;
});

const list = (query: string, headers = bearer(org.token), slug = org.slug) =>
  deliveryGet(`${slug}/content?${query}`, headers);

const expectInvalidCursor = async (res: Response, label: string) => {
  expect(res.status, label).toBe(400);
  expect(await readProblem(res), label).toMatchObject({
    code: 'invalid_cursor',
    errors: [{ path: 'query.cursor', code: 'invalid_cursor' }],
  });
};

/** Every list page key KV holds for the organization, with its expiry (seconds since the epoch). */
const listKeys = async (organizationId: string) =>
  (await env.DELIVERY_CACHE.list({ prefix: `org:${organizationId}:delivery:list:` })).keys;

describe('signed list cursors', () => {
  it('a cursor pages on with the query it was issued for, and is 400 with another limit, type, platform or organization', async () => {
    const cursor = firstPage.nextCursor!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const next = await list(`platform=${platform}&limit=1&cursor=${cursor}`);
    expect(next.status).toBe(200);
    expect(((await next.json()) as Page).data[0]!.id).not.toBe(firstPage.data[0]!.id);

    for (const query of [
      `platform=${platform}&limit=2&cursor=${cursor}`,
      `platform=${platform}&cursor=${cursor}`,
      `platform=other&limit=1&cursor=${cursor}`,
      `limit=1&cursor=${cursor}`,
      `platform=${platform}&limit=1&type=education&cursor=${cursor}`,
    ]) {
      await expectInvalidCursor(await list(query), query);
    }
    // The same cursor on another organization, with that organization's own token.
    await expectInvalidCursor(
      await list(`platform=${platform}&limit=1&cursor=${cursor}`, bearer(other.token), other.slug),
      'other organization',
    );
  });

  it('a forged, altered or foreign-key cursor is 400, and KV holds no page for it', async () => {
    const cursor = firstPage.nextCursor!;
    const [payload, mac] = cursor.split('.') as [string, string];
    // A position nobody was ever given, in the format cursors had before they were signed.
    const position = { publishedAt: '2026-01-01T00:00:00.000000Z', id: crypto.randomUUID() };
    const unsigned = toBase64Url(new TextEncoder().encode(JSON.stringify({ p: position.publishedAt, i: position.id })));
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const foreignKey = await encodeCursor(
      'another-secret-that-is-long-enough-to-be-a-key',
      { organizationId: org.id, limit: 1, platform },
      position,
    );
    const forged = {
      unsigned,
      'unsigned with a made-up signature': `${unsigned}.${mac}`,
      'payload altered': `${flip(payload, 5)}.${mac}`,
      'signature altered': `${payload}.${flip(mac, 3)}`,
      'signature cut short': `${payload}.${mac.slice(0, 22)}`,
      'signature missing': `${payload}.`,
      'three parts': `${cursor}.${mac}`,
      'signed with another key': foreignKey,
    };
    for (const [label, value] of Object.entries(forged)) {
      await expectInvalidCursor(await list(`platform=${platform}&limit=1&cursor=${encodeURIComponent(value)}`), label);
    }
    // A real page afterwards: its fill (after the response) lands after any the forged requests could have made.
    const after = await list(`platform=${platform}&limit=1&cursor=${cursor}`);
    expect(after.status).toBe(200);
    const keys = (await listKeys(org.id)).map((key) => key.name);
    expect(keys.some((name) => name.includes(unsigned))).toBe(false);
  });

  it('a page for a platform nobody publishes to is kept in KV only for the negative TTL', async () => {
    const nobody = `nobody${unique()}`;
    const res = await list(`platform=${nobody}`);
    expect(await res.json()).toEqual({ data: [], nextCursor: null });
    const ttl = loadConfig(env as Bindings).delivery.negativeTtlSeconds;
    const entry = await untilKey(org.id, `.${nobody}.`);
    expect(entry.expiration! - Date.now() / 1000).toBeLessThanOrEqual(ttl + 5);
    // A page with items is kept for the list TTL (a day).
    const full = await untilKey(org.id, `.${platform}.1.-`);
    expect(full.expiration! - Date.now() / 1000).toBeGreaterThan(60 * 60);
  });
});

async function untilKey(organizationId: string, part: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = (await listKeys(organizationId)).find((key) => key.name.includes(part));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no list page key containing ${part}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
