import { sql } from 'drizzle-orm';
import { auditChainCheckpoints } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { checkChainSegment, GENESIS_HASH, type ChainSegment } from './audit-chain-segment.ts';
import { writeAuditChainStatus, type AuditChainStatus } from './audit-chain-status.ts';

interface DueChain extends Record<string, unknown> {
  organization_id: string;
  position: string;
  hash: string;
}

export interface CronVerification extends AuditChainStatus {
  /** Organizations whose new entries this run checked. */
  verified: number;
  /** Organizations found broken by this run. */
  broken: string[];
}

// Organizations verified side by side: the per-request pool holds four connections.
const PARALLEL = 4;

/**
 * The cron's share of the audit chain (docs/decisions/0030): for organizations whose head moved past their
 * checkpoint, checks the new entries from the checkpoint on, anchored on the hash recorded there (so a rewrite
 * of anything before it shows as a broken link), and moves the checkpoint. Every advance is logged with its
 * hash, which puts each chain's state outside the database; a break is logged as an error, recorded on the
 * checkpoint and counted for /health. A broken chain is not checked again until an operator clears its mark.
 */
export async function verifyNewAuditEntries({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  /** Only this organization (the cron checks every one; tests use this to stay apart). */
  input?: { organizationId?: string };
}): Promise<CronVerification> {
  const { db, config } = ctx.services;
  const only = input.organizationId ? sql`AND h.organization_id = ${input.organizationId}` : sql``;
  const due = await db.execute<DueChain>(sql`
    SELECT h.organization_id, coalesce(c.position, 0) AS position, encode(coalesce(c.hash, decode(${GENESIS_HASH}, 'hex')), 'hex') AS hash
    FROM audit_chain_heads h
    LEFT JOIN audit_chain_checkpoints c ON c.organization_id = h.organization_id
    WHERE c.broken_position IS NULL AND h.position > coalesce(c.position, 0) ${only}
    ORDER BY c.verified_at NULLS FIRST, h.organization_id
    LIMIT ${config.auditChain.cronOrganizations}
  `);
  const broken: string[] = [];
  for (let i = 0; i < due.rows.length; i += PARALLEL) {
    await Promise.all(
      due.rows.slice(i, i + PARALLEL).map(async (chain) => {
        const segment = await checkChainSegment(db, {
          organizationId: chain.organization_id,
          from: Number(chain.position) + 1,
          limit: config.auditChain.verifyMaxEntries,
          anchorHash: chain.hash,
        });
        await recordCheckpoint(ctx, chain.organization_id, segment);
        if (segment.broken) broken.push(chain.organization_id);
      }),
    );
  }
  const [count] = (
    await db.execute<{ broken: string }>(
      sql`SELECT count(*) AS broken FROM audit_chain_checkpoints WHERE broken_position IS NOT NULL`,
    )
  ).rows;
  const status = { brokenOrganizations: Number(count?.broken ?? 0), checkedAt: new Date().toISOString() };
  await writeAuditChainStatus(ctx, status);
  return { ...status, verified: due.rows.length, broken };
}

async function recordCheckpoint(ctx: ServiceContext, organizationId: string, segment: ChainSegment): Promise<void> {
  const { db } = ctx.services;
  if (segment.broken) {
    ctx.logger.log('error', 'audit chain broken', { organizationId, ...segment.broken });
    await db
      .insert(auditChainCheckpoints)
      .values({
        organizationId,
        position: 0,
        hash: fromHex(GENESIS_HASH),
        brokenPosition: segment.broken.position,
        brokenAt: new Date(),
      })
      .onConflictDoUpdate({
        target: auditChainCheckpoints.organizationId,
        // The first break found stays (two overlapping runs may both find one).
        set: {
          brokenPosition: sql`coalesce(${auditChainCheckpoints.brokenPosition}, excluded.broken_position)`,
          brokenAt: sql`coalesce(${auditChainCheckpoints.brokenAt}, excluded.broken_at)`,
        },
      });
    return;
  }
  if (segment.checked === 0) return;
  // The anchor outside the database: an owner who rewrites the chain and its head cannot rewrite these lines.
  ctx.logger.log('info', 'audit chain verified', {
    organizationId,
    position: segment.last.position,
    hash: segment.last.hash,
  });
  const values = { position: segment.last.position, hash: fromHex(segment.last.hash), verifiedAt: new Date() };
  await db
    .insert(auditChainCheckpoints)
    .values({ organizationId, ...values })
    // Overlapping runs may finish out of order: a checkpoint only moves forward.
    .onConflictDoUpdate({
      target: auditChainCheckpoints.organizationId,
      set: values,
      setWhere: sql`${auditChainCheckpoints.position} < excluded.position`,
    });
}

// Bytes are sent as hex for the database to decode: what the driver makes of a Uint8Array is not bytea.
const fromHex = (hex: string) => sql`decode(${hex}, 'hex')`;
