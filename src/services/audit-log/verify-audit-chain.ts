import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { checkChainSegment, type ChainBreak } from './audit-chain-segment.ts';

export interface VerifyAuditChainInput {
  /** First position to check (1 = from the start). */
  from: number;
  /** Entries to check at most; capped by AUDIT_VERIFY_MAX_ENTRIES. */
  limit: number | undefined;
}

export interface AuditChainVerification {
  intact: boolean;
  from: number;
  checked: number;
  /** Where the next call starts; null once the head is reached or a break is found. */
  next: number | null;
  head: { position: number; hash: string };
  broken: ChainBreak | null;
}

/**
 * Walks the caller's organization's audit chain from `from`, rehashing in the database, a bounded number of
 * entries per call (`next` continues it), and reports the first broken link. Read-only: the cron, not this,
 * records checkpoints.
 */
export async function verifyAuditChain({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: VerifyAuditChainInput;
}): Promise<AuditChainVerification> {
  assertCan(ctx.actor, 'audit.read');
  const max = ctx.services.config.auditChain.verifyMaxEntries;
  const segment = await checkChainSegment(ctx.services.db, {
    organizationId: ctx.organizationId,
    from: input.from,
    limit: Math.min(input.limit ?? max, max),
  });
  return {
    intact: segment.broken === null,
    from: input.from,
    checked: segment.checked,
    next: segment.next,
    head: segment.head,
    broken: segment.broken,
  };
}
