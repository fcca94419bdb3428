import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DELIVERY_TOKEN_PREFIX, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { deadLetters, deliveryTokens } from '../../../src/db/schema/index.ts';
import { eventCatalogue, parseEventAs } from '../../../src/events/catalogue.ts';
import { DELIVERY_TOKEN_CREATED_EVENT } from '../../../src/events/delivery-access.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { forgetTokenAbsence } from '../../../src/services/delivery/delivery-access-events.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { expireEdgeMemos } from '../../../src/services/delivery/edge-store.ts';
import { authHeaders, jsonHeaders } from '../auth.ts';
import { call, eventually, readProblem } from '../helpers.ts';
import { consumed, unique, uniqueName, useHarness } from '../harness.ts';
import { act, tenantItem } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, statementsWith, untilDelivered, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db, ctx } = harness;
const org = useDeliveryTenant(harness);
const negativeTtl = loadConfig(env as Bindings).delivery.negativeTtlSeconds;

/** The KV entry under `key` once the fill after the response has written it. */
const filled = (key: string) =>
  eventually(async () => (await env.DELIVERY_CACHE.get<Record<string, unknown>>(key, 'json')) ?? undefined);

/** Seconds until the KV entry under `key` expires. */
const secondsToLive = async (key: string) => {
  const [listed] = (await env.DELIVERY_CACHE.list({ prefix: key })).keys.filter((k) => k.name === key);
  return (listed?.expiration ?? Number.POSITIVE_INFINITY) - Date.now() / 1000;
};

const randomSecret = () => `${DELIVERY_TOKEN_PREFIX}${crypto.randomUUID().replaceAll('-', '')}${unique()}`;

describe('remembered absences (negative caching)', () => {
  it('an unknown item id costs one database lookup: asking again is a KV hit (404) for the negative TTL', async () => {
    const id = crypto.randomUUID();
    const path = `${org.slug}/content/${id}`;
    const key = deliveryKeys.item(org.id, id);
    const statements = await statementsWith(id, async () => {
      const first = await deliveryGet(path, bearer(org.token));
      expect(first.status).toBe(404);
      expect((await readProblem(first)).code).toBe('not_found');
      expect(await filled(key)).toMatchObject({ item: null });
      for (let i = 0; i < 3; i++) {
        // Past the isolate's 200 ms memo, as if time had passed: each read asks KV.
        expireEdgeMemos();
        expect((await deliveryGet(path, bearer(org.token))).status).toBe(404);
      }
    });
    expect(statements).toHaveLength(1);
    expect(await secondsToLive(key)).toBeLessThanOrEqual(negativeTtl + 5);
  });

  it('an unknown organization slug costs one database lookup', async () => {
    const slug = `nobody-${unique()}`;
    const key = deliveryKeys.organizationBySlug(slug);
    const statements = await statementsWith(slug, async () => {
      expect((await deliveryGet(`${slug}/content`, bearer(org.token))).status).toBe(404);
      expect(await filled(key)).toMatchObject({ absent: true });
      for (let i = 0; i < 3; i++) expect((await deliveryGet(`${slug}/content`, bearer(org.token))).status).toBe(404);
    });
    expect(statements).toHaveLength(1);
    expect(await secondsToLive(key)).toBeLessThanOrEqual(negativeTtl + 5);
  });

  it('an unknown delivery token costs one database lookup (401 every time)', async () => {
    const secret = randomSecret();
    const hash = await hashApiKeySecret(secret);
    const key = deliveryKeys.tokenByHash(hash);
    const statements = await statementsWith(hash, async () => {
      const first = await deliveryGet(`${org.slug}/content`, bearer(secret));
      expect(first.status).toBe(401);
      expect((await readProblem(first)).code).toBe('invalid_token');
      expect(await filled(key)).toMatchObject({ absent: true });
      for (let i = 0; i < 3; i++) expect((await deliveryGet(`${org.slug}/content`, bearer(secret))).status).toBe(401);
    });
    expect(statements).toHaveLength(1);
    expect(await secondsToLive(key)).toBeLessThanOrEqual(negativeTtl + 5);
  });
});

describe('absences are cleared by the events that create what was absent', () => {
  it('an item remembered as absent is served once its publish event has been consumed', async () => {
    const item = await tenantItem(db, org, { status: 'approved' });
    const path = `${org.slug}/content/${item.id}`;
    expect((await deliveryGet(path, bearer(org.token))).status).toBe(404);
    expect(await filled(deliveryKeys.item(org.id, item.id))).toMatchObject({ item: null });

    const publish = await act(item.id, 'publish', org.users.editor.headers, undefined, {
      'if-match': `"${item.version}"`,
    });
    expect(publish.status).toBe(200);
    const served = await untilDelivered<{ id: string }>(path, bearer(org.token), (status) => status === 200);
    expect(served.body!.id).toBe(item.id);
  });

  it('a slug remembered as absent resolves once the organization created with it has been handled', async () => {
    const slug = `later-${unique()}`;
    expect((await deliveryGet(`${slug}/content`)).status).toBe(404);
    expect(await filled(deliveryKeys.organizationBySlug(slug))).toMatchObject({ absent: true });

    const created = await call('/api/v1/organizations', {
      method: 'POST',
      headers: jsonHeaders(await authHeaders('super_admin')),
      body: JSON.stringify({ name: uniqueName('later'), slug }),
    });
    expect(created.status).toBe(201);
    // Found now: not public, so 401 asks for a token where 404 said there was no such organization.
    const resolved = await untilDelivered(`${slug}/content`, {}, (status) => status !== 404);
    expect(resolved.status).toBe(401);
  });

  it('a token hash remembered as absent is accepted once the token-created event has been handled', async () => {
    const secret = randomSecret();
    const hash = await hashApiKeySecret(secret);
    expect((await deliveryGet(`${org.slug}/content`, bearer(secret))).status).toBe(401);
    expect(await filled(deliveryKeys.tokenByHash(hash))).toMatchObject({ absent: true });

    // A token whose secret is that one (the API draws secrets itself, so this is arranged in the table).
    const [row] = await db
      .insert(deliveryTokens)
      .values({
        organizationId: org.id,
        name: uniqueName('known'),
        prefix: secret.slice(0, 12),
        secretHash: hash,
        createdBy: org.users.org_admin.id,
      })
      .returning({ id: deliveryTokens.id });
    const created = newEvent(DELIVERY_TOKEN_CREATED_EVENT, org.id, { deliveryTokenId: row!.id });
    await forgetTokenAbsence(parseEventAs(eventCatalogue[DELIVERY_TOKEN_CREATED_EVENT], created), ctx);
    expect((await deliveryGet(`${org.slug}/content`, bearer(secret))).status).toBe(200);
  });

  it('creating a delivery token through the API sends the event that clears its absence', async () => {
    const res = await call('/api/v1/delivery-tokens', {
      method: 'POST',
      headers: jsonHeaders(org.users.org_admin.headers),
      body: JSON.stringify({ name: uniqueName('evented') }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [handled] = await consumed((e) => e.type === DELIVERY_TOKEN_CREATED_EVENT && e.data.deliveryTokenId === id);
    expect(handled!.event.organizationId).toBe(org.id);
    // Handled by its route, not parked as a type the consumer does not know (ADR 0034).
    expect(await db.select().from(deadLetters).where(eq(deadLetters.eventId, handled!.event.id))).toEqual([]);
  });
});
