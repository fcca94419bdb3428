import { z } from 'zod';
import { systemKey } from '../../cache/kv-keys.ts';
import type { ServiceContext } from '../container.ts';

/**
 * What the last cron verification found, kept in KV next to the heartbeats so /health reports it without
 * a database query (ADR 0002 keeps /health to one probe per dependency).
 */
const STATUS_KEY = systemKey('audit-chain', 'status');

const statusSchema = z.object({ brokenOrganizations: z.number().int(), checkedAt: z.string() });

export type AuditChainStatus = z.infer<typeof statusSchema>;

export function writeAuditChainStatus(ctx: ServiceContext, status: AuditChainStatus): Promise<void> {
  return ctx.services.kv.put(STATUS_KEY, status);
}

export function readAuditChainStatus(ctx: ServiceContext): Promise<AuditChainStatus | undefined> {
  return ctx.services.kv.get(STATUS_KEY, statusSchema);
}
