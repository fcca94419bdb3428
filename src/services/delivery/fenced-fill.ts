import { z } from 'zod';
import type { KvJson } from '../../cache/kv-json.ts';
import { describe } from '../../lib/logger.ts';
import type { ServiceContext } from '../container.ts';
import type { EdgeStore } from './edge-store.ts';

/**
 * Fills that never outlive a later change (docs/decisions/0031). A fill reads Postgres on a KV miss and
 * writes what it read after the response; an event handled in between (a revocation, a slug change, a
 * publish) must win, and KV has no compare-and-set. So every entry key has a fence key:
 *
 * - an event handler first raises the fence (a fresh nonce), then reads Postgres and writes or deletes
 *   the entry;
 * - a fill reads the fence before it reads Postgres, writes the entry, then reads the fence again, and
 *   takes its entry back when the nonce changed.
 *
 * A fill that read Postgres before a change read the fence before the handler raised it. If its write
 * landed before the handler's, the handler's write or delete replaces it; if after, its second read of
 * the fence comes after the raise, sees a new nonce, and the fill withdraws. Reading the fence twice
 * rather than checking that it exists keeps fills that merely follow a change (they read the new state)
 * standing. This holds where KV reads its own writes (one location); ADR 0031 says what covers the rest.
 */

/** A fill older than this, from reading the fence to writing, is dropped or taken back. */
export const MAX_FILL_AGE_MS = 10_000;
/** How long a raised fence stays readable: far beyond MAX_FILL_AGE_MS (and KV's own 60 s minimum). */
export const FENCE_TTL_SECONDS = 120;

const fenceSchema = z.object({ nonce: z.string() });

/** What a fill saw of the fence before it read the database. */
export interface FillPermit {
  key: string;
  fenceKey: string;
  fence: string | null;
  openedAt: number;
}

export type FillOutcome = 'filled' | 'too-old' | 'withdrawn';

/**
 * The first step of a fill, before the database read. Undefined when KV cannot say (failing or slow):
 * the caller still answers from the database but writes nothing.
 */
export async function openFill(edgeStore: EdgeStore, key: string, fenceKey: string): Promise<FillPermit | undefined> {
  const openedAt = Date.now();
  const fence = await edgeStore.read(fenceKey, fenceSchema);
  if (fence.status === 'failed') return undefined;
  return { key, fenceKey, fence: fence.status === 'hit' ? fence.value.nonce : null, openedAt };
}

/**
 * The fill itself, after the response: writes, then takes the entry back when a change raised the fence
 * since openFill, or when the fill took too long for the fence to be trusted. No timeout on the write: the
 * second read of the fence must start after the write has landed, and nobody waits for this but waitUntil.
 */
export async function completeFill(
  ctx: Pick<ServiceContext, 'services'>,
  permit: FillPermit,
  value: unknown,
  ttlSeconds: number,
): Promise<FillOutcome> {
  const { kv, logger } = ctx.services;
  if (Date.now() - permit.openedAt > MAX_FILL_AGE_MS) return 'too-old';
  try {
    await kv.put(permit.key, value, { ttlSeconds });
  } catch (err) {
    // It may still have landed: go on and check the fence as if it had.
    logger.log('warn', 'delivery store fill failed', { key: permit.key, error: describe(err) });
  }
  let fence: string | null | undefined;
  try {
    fence = (await kv.get(permit.fenceKey, fenceSchema))?.nonce ?? null;
  } catch {
    fence = undefined;
  }
  if (fence === permit.fence && Date.now() - permit.openedAt <= MAX_FILL_AGE_MS) return 'filled';
  try {
    await kv.delete(permit.key);
  } catch (err) {
    logger.log('error', 'delivery store could not take back a fill', { key: permit.key, error: describe(err) });
  }
  return 'withdrawn';
}

/**
 * An event handler's first step, before it reads the database: every fill that read it earlier will take
 * itself back. Returns the nonce, for fenceStillHeld. KV failures throw (the queue retries the event).
 */
export async function raiseFence(kv: KvJson, fenceKey: string): Promise<string> {
  const nonce = crypto.randomUUID();
  await kv.put(fenceKey, { nonce }, { ttlSeconds: FENCE_TTL_SECONDS });
  return nonce;
}

/**
 * Whether no other handler raised the fence since this one did. When another did, this handler's write
 * may rest on an older read than the other's, and the caller deletes it (the next reader refills).
 */
export async function fenceStillHeld(kv: KvJson, fenceKey: string, nonce: string): Promise<boolean> {
  return (await kv.get(fenceKey, fenceSchema))?.nonce === nonce;
}
