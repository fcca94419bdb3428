import { and, eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a first request may run before a retry may take its claim over (the Worker died mid-way). */
export const IN_FLIGHT_LOCK_SECONDS = 30;

export interface IdempotencyScope {
  organizationId: string;
  principalId: string;
  key: string;
}

export type ClaimResult =
  | { kind: 'claimed'; ownerToken: string }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

const scopeWhere = (scope: IdempotencyScope) =>
  and(
    eq(idempotencyKeys.organizationId, scope.organizationId),
    eq(idempotencyKeys.principalId, scope.principalId),
    eq(idempotencyKeys.key, scope.key),
  );

/**
 * One statement claims the key: a new key, an expired record, or an abandoned in-flight claim for the
 * same request. Anything else is someone else's claim, read back to decide replay, 409 or 422.
 */
export async function claimIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: IdempotencyScope & { requestHash: string };
}): Promise<ClaimResult> {
  const { db } = ctx.services;
  const ownerToken = crypto.randomUUID();
  const lockedUntil = sql`now() + make_interval(secs => ${IN_FLIGHT_LOCK_SECONDS})`;
  const expiresAt = sql`now() + make_interval(secs => ${IDEMPOTENCY_TTL_SECONDS})`;
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ ...input, state: 'in_flight', lockedUntil, expiresAt, ownerToken })
    .onConflictDoUpdate({
      target: [idempotencyKeys.organizationId, idempotencyKeys.principalId, idempotencyKeys.key],
      set: {
        requestHash: input.requestHash,
        state: 'in_flight',
        lockedUntil,
        expiresAt,
        ownerToken,
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        createdAt: sql`now()`,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} < now()
        or (${idempotencyKeys.state} = 'in_flight' and ${idempotencyKeys.lockedUntil} < now() and ${idempotencyKeys.requestHash} = excluded.request_hash)`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return { kind: 'claimed', ownerToken };

  const [existing] = await db.select().from(idempotencyKeys).where(scopeWhere(input)).limit(1);
  // Gone between the two statements (released by its owner): report in flight so the client retries.
  if (!existing) return { kind: 'in_flight' };
  if (existing.requestHash !== input.requestHash) return { kind: 'mismatch' };
  if (existing.state !== 'completed') return { kind: 'in_flight' };
  return {
    kind: 'replay',
    status: existing.responseStatus ?? 200,
    headers: existing.responseHeaders ?? {},
    body: existing.responseBody ?? '',
  };
}

/** False when the claim is no longer this request's (a retry took it over after the lock ran out). */
export async function completeIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: IdempotencyScope & { ownerToken: string; status: number; headers: Record<string, string>; body: string };
}): Promise<boolean> {
  const completed = await ctx.services.db
    .update(idempotencyKeys)
    .set({ state: 'completed', responseStatus: input.status, responseHeaders: input.headers, responseBody: input.body })
    .where(and(scopeWhere(input), eq(idempotencyKeys.ownerToken, input.ownerToken)))
    .returning({ key: idempotencyKeys.key });
  return completed.length > 0;
}

/** A first request that did not succeed leaves nothing behind: the client may retry with the same key. */
export async function releaseIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: IdempotencyScope & { ownerToken: string };
}): Promise<void> {
  await ctx.services.db
    .delete(idempotencyKeys)
    .where(
      and(scopeWhere(input), eq(idempotencyKeys.state, 'in_flight'), eq(idempotencyKeys.ownerToken, input.ownerToken)),
    );
}

/** Cron: expired records are dead weight (they are already ignored by claims). */
export async function purgeExpiredIdempotencyKeys({ ctx }: { ctx: ServiceContext }): Promise<number> {
  const deleted = await ctx.services.db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.expiresAt} < now()`)
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
