import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { z } from 'zod';
import type { KvJson } from '../cache/kv-json.ts';
import { systemKey } from '../cache/kv-keys.ts';
import type { AppConfig } from '../config.ts';
import { describe, type Logger } from '../lib/logger.ts';
import { sha256Base64Url } from '../lib/sha256.ts';
import { withTimeout } from '../lib/timeout.ts';

/** No key set may be trusted (none fetched, or the last good one is past its stale window): 503, not 401. */
export class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

/** What the key set needs from the request it serves: the KV copy, after-response work, a log. */
export interface KeySetDeps {
  kv: KvJson | undefined;
  defer(work: () => Promise<unknown>): void;
  logger: Logger;
}

type Policy = AppConfig['jwks'];
type Lookup = ReturnType<typeof createLocalJWKSet>;

interface GoodSet {
  json: string;
  lookup: Lookup;
  /** When the identity provider served it (ms since the epoch); age decides fresh, stale or too old. */
  fetchedAt: number;
}

const StoredKeySetSchema = z.object({
  v: z.literal(1),
  fetchedAt: z.number().int().positive(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

/** KV answers in milliseconds; one that hangs must not hold sign-in hostage, it is only a fallback. */
const KV_TIMEOUT_MS = 1_000;
/** How long past its timeout a shared fetch may run before it is presumed lost (a cancelled request's). */
const INFLIGHT_GRACE_MS = 1_000;
/** How often a request waiting on another's fetch looks whether it has finished. */
const POLL_MS = 20;

export const keySetStorageKey = async (url: string) => systemKey('idp', 'jwks', await sha256Base64Url(url));

async function fetchKeySet(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, {
    headers: { accept: 'application/json, application/jwk-set+json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`key set endpoint answered ${res.status}`);
  }
  return res.json();
}

/**
 * One identity provider's key set, per isolate: fresh for `maxAge`, then served while it is refreshed
 * after the response; kept up to `staleTtl` when refreshes fail (an IdP outage is not ours to pass on
 * while we hold its keys), and copied to KV so a fresh isolate starts with it. Fetches happen at most
 * once per cooldown whatever asks for them, so a flood of unknown `kid`s costs the IdP one request.
 */
class RemoteKeySet {
  private good: GoodSet | undefined;
  private kvChecked = false;
  /** fetchedAt of the copy in KV, as far as this isolate knows. */
  private persistedAt = 0;
  private persistedJson: string | undefined;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private inflight: { promise: Promise<boolean>; startedAt: number } | undefined;

  private readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async getKey(
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
    policy: Policy,
    deps: KeySetDeps,
  ): Promise<CryptoKey> {
    if (!this.good && !this.kvChecked) await this.loadFromKv(policy, deps);
    const age = this.good ? Date.now() - this.good.fetchedAt : Number.POSITIVE_INFINITY;
    if (age >= policy.staleTtlMs) {
      if (!(await this.refresh(policy, deps)) || !this.good) {
        throw new KeySetUnavailable('no usable key set: the identity provider could not be reached');
      }
    } else if (age >= policy.maxAgeMs) {
      this.refreshLater(policy, deps);
    }
    const current = this.good!;
    try {
      return await current.lookup(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // Perhaps a key rotated in since: look once more after a refresh, which the cooldown rations.
      if (!(await this.refresh(policy, deps))) throw err;
      return this.good!.lookup(header, token);
    }
  }

  private refreshLater(policy: Policy, deps: KeySetDeps): void {
    if (this.inflight || Date.now() - this.lastAttempt < policy.cooldownMs) return;
    deps.defer(() => this.refresh(policy, deps));
  }

  /** Whether a newly fetched set is in place; joins a fetch under way, else starts one unless cooling down. */
  private refresh(policy: Policy, deps: KeySetDeps): Promise<boolean> {
    const now = Date.now();
    const running = this.inflight;
    if (running && now - running.startedAt < policy.timeoutMs + INFLIGHT_GRACE_MS) {
      return this.awaitOthersFetch(running.startedAt + policy.timeoutMs + INFLIGHT_GRACE_MS);
    }
    if (now - this.lastAttempt < policy.cooldownMs) return Promise.resolve(false);
    this.lastAttempt = now;
    const promise = this.fetchAndAdopt(policy, deps).then(
      () => true,
      (err: unknown) => {
        deps.logger.log('warn', 'identity provider key set refresh failed', {
          url: this.url,
          keptKeySetAgeSeconds: this.good ? Math.round((Date.now() - this.good.fetchedAt) / 1000) : null,
          error: describe(err),
        });
        return false;
      },
    );
    const entry = { promise, startedAt: now };
    this.inflight = entry;
    void promise.finally(() => {
      if (this.inflight === entry) this.inflight = undefined;
    });
    return promise;
  }

  /**
   * The fetch under way belongs to another request. Rather than await its promise (a continuation resumed
   * from another request's context cannot do I/O for this one, and a cancelled request's fetch may never
   * settle), this request watches for it to finish on timers of its own, up to a deadline.
   */
  private async awaitOthersFetch(deadline: number): Promise<boolean> {
    const before = this.good;
    while (this.inflight && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return this.good !== before;
  }

  private async fetchAndAdopt(policy: Policy, deps: KeySetDeps): Promise<void> {
    const body = await fetchKeySet(this.url, policy.timeoutMs);
    // createLocalJWKSet refuses anything that is not a JWK set (JWKSInvalid): the old set stays.
    const lookup = createLocalJWKSet(body as JSONWebKeySet);
    const json = JSON.stringify(body);
    const fetchedAt = Date.now();
    this.good = { json, lookup, fetchedAt };
    if (!deps.kv) return;
    // Rewritten when the keys change, or often enough that a fresh isolate's copy leaves most of the stale window.
    if (json === this.persistedJson && fetchedAt - this.persistedAt < policy.staleTtlMs / 4) return;
    this.persistedJson = json;
    this.persistedAt = fetchedAt;
    const kv = deps.kv;
    deps.defer(async () => kv.put(await keySetStorageKey(this.url), { v: 1, fetchedAt, jwks: body }));
  }

  private async loadFromKv(policy: Policy, deps: KeySetDeps): Promise<void> {
    if (!deps.kv) {
      this.kvChecked = true;
      return;
    }
    try {
      const stored = await withTimeout(
        deps.kv.get(await keySetStorageKey(this.url), StoredKeySetSchema),
        KV_TIMEOUT_MS,
        'KV read of the key set',
      );
      this.kvChecked = true;
      if (!stored || this.good || Date.now() - stored.fetchedAt >= policy.staleTtlMs) return;
      const json = JSON.stringify(stored.jwks);
      this.good = { json, lookup: createLocalJWKSet(stored.jwks as JSONWebKeySet), fetchedAt: stored.fetchedAt };
      this.persistedJson = json;
      this.persistedAt = stored.fetchedAt;
    } catch (err) {
      // KV is the fallback, not the source: without it the identity provider is asked as usual.
      this.kvChecked = true;
      deps.logger.log('warn', 'stored key set unreadable', { url: this.url, error: describe(err) });
    }
  }
}

// Per isolate, per URL: the state outlives requests so fetches are shared and rationed.
const keySets = new Map<string, RemoteKeySet>();

export function remoteKeySet(url: string): RemoteKeySet {
  let set = keySets.get(url);
  if (!set) {
    set = new RemoteKeySet(url);
    keySets.set(url, set);
  }
  return set;
}
