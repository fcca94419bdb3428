import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { eventCatalogue, parseEventAs } from '../../../src/events/catalogue.ts';
import { DELIVERY_TOKEN_REVOKED_EVENT } from '../../../src/events/delivery-access.ts';
import type { EventEnvelope } from '../../../src/events/envelope.ts';
import { createServices } from '../../../src/services/container.ts';
import {
  ACCESS_RECHECK_DELAY_SECONDS,
  forgetRevokedToken,
} from '../../../src/services/delivery/delivery-access-events.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { resolveDeliveryAccess } from '../../../src/services/delivery/resolve-delivery-access.ts';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { call } from '../helpers.ts';
import { consumed, useHarness } from '../harness.ts';
import { bearer, deliveryGet, heldBackFills, useDeliveryTenant } from '../delivery/fixtures.ts';
import { createToken } from './fixtures.ts';

const harness = useHarness();
const org = useDeliveryTenant(harness);

const revoke = (id: string) =>
  call(`/api/v1/delivery-tokens/${id}`, { method: 'DELETE', headers: org.users.org_admin.headers });

/** A token nobody has read yet, whose created event the consumer has already handled. */
async function freshToken() {
  const token = await createToken({}, { headers: org.users.org_admin.headers });
  await consumed((e) => e.type === 'delivery_token.created' && e.data.deliveryTokenId === token.id);
  const key = deliveryKeys.tokenByHash(await hashApiKeySecret(token.secret));
  return { token, key };
}

describe('a KV fill never outlives a later revocation', () => {
  it('fill reads the token, the revocation is handled, the fill writes: the token is refused afterwards', async () => {
    const { token, key } = await freshToken();
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
    const { ctx, runFills } = heldBackFills(harness);

    // 1. A reader misses KV and finds the token active in Postgres; its fill is held back.
    const access = await resolveDeliveryAccess({
      ctx,
      input: { slug: org.slug, authorization: `Bearer ${token.secret}`, requireToken: false },
    });
    expect(access.tokenId).toBe(token.id);
    // 2. The token is revoked and the consumer handles the event.
    expect((await revoke(token.id)).status).toBe(204);
    await consumed((e) => e.type === DELIVERY_TOKEN_REVOKED_EVENT && e.data.deliveryTokenId === token.id);
    // 3. Only now does the fill write what it read in step 1.
    await runFills();

    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
    const res = await deliveryGet(`${org.slug}/content`, bearer(token.secret));
    expect(res.status).toBe(401);
  });

  it('a fill that read the token after the revocation was handled stands, and says the token is absent', async () => {
    const { token, key } = await freshToken();
    expect((await revoke(token.id)).status).toBe(204);
    await consumed((e) => e.type === DELIVERY_TOKEN_REVOKED_EVENT && e.data.deliveryTokenId === token.id);
    const { ctx, runFills } = heldBackFills(harness);
    await expect(
      resolveDeliveryAccess({
        ctx,
        input: { slug: org.slug, authorization: `Bearer ${token.secret}`, requireToken: false },
      }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    await runFills();
    expect(await env.DELIVERY_CACHE.get(key, 'json')).toMatchObject({ absent: true });
  });

  it('the revocation is handled again after the KV propagation window, deleting what a fill elsewhere left', async () => {
    const { token, key } = await freshToken();
    expect((await revoke(token.id)).status).toBe(204);
    const [handled] = await consumed(
      (e) => e.type === DELIVERY_TOKEN_REVOKED_EVENT && e.data.deliveryTokenId === token.id,
    );
    // The consumer scheduled the recheck on the real queue; handle a copy here with a queue that records.
    const sent: Array<{ body: EventEnvelope; delaySeconds: number | undefined }> = [];
    const bindings = {
      ...env,
      EVENTS_QUEUE: {
        send: async (body: EventEnvelope, options?: QueueSendOptions) =>
          void sent.push({ body, delaySeconds: options?.delaySeconds }),
      } as unknown as Queue,
    } as Bindings;
    const recording = {
      services: createServices(bindings, loadConfig(bindings), createLogger('error')),
      logger: createLogger('error'),
      requestId: 'recheck',
    };
    // As the consumer gets them: parsed against the catalogue (which must keep `recheck`).
    const asConsumed = (body: EventEnvelope) => parseEventAs(eventCatalogue[DELIVERY_TOKEN_REVOKED_EVENT], body);
    await forgetRevokedToken(asConsumed(handled!.event), recording);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.delaySeconds).toBe(ACCESS_RECHECK_DELAY_SECONDS);
    expect(sent[0]!.body).toMatchObject({
      type: DELIVERY_TOKEN_REVOKED_EVENT,
      organizationId: org.id,
      data: { deliveryTokenId: token.id, recheck: true },
    });

    // What a fill in another location could have written, unseen by the first handling.
    await env.DELIVERY_CACHE.put(key, JSON.stringify({ id: token.id, organizationId: org.id, expiresAt: null }));
    await forgetRevokedToken(asConsumed(sent[0]!.body), recording);
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
    // A recheck does not schedule another.
    expect(sent).toHaveLength(1);
    await recording.services.dispose();
  });
});
