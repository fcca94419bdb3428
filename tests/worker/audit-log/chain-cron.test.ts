import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditChainCheckpoints } from '../../../src/db/schema/index.ts';
import type { Logger } from '../../../src/lib/logger.ts';
import { verifyNewAuditEntries } from '../../../src/services/audit-log/verify-new-audit-entries.ts';
import { cronJobs } from '../../../workers/scheduled.ts';
import { call, useHarness } from '../harness.ts';
import { chainOf, editEntry, hex, ownerDb, rewriteFrom, verify, writeEntries } from './chain-fixtures.ts';

const h = useHarness();
const { db } = h;
const owner = ownerDb(h);

interface Line {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** The cron job for one organization, with what it logged. */
async function runFor(organizationId: string) {
  const lines: Line[] = [];
  // Kept, not printed: the breaks these tests make are expected.
  const logger: Logger = {
    log: (level, msg, fields = {}) => void lines.push({ level, msg, fields }),
    child: () => logger,
  };
  const result = await verifyNewAuditEntries({ ctx: { ...h.ctx, logger }, input: { organizationId } });
  return { result, lines };
}

async function checkpointOf(organizationId: string) {
  const [row] = await db
    .select()
    .from(auditChainCheckpoints)
    .where(eq(auditChainCheckpoints.organizationId, organizationId));
  return row && { position: row.position, hash: hex(row.hash), brokenPosition: row.brokenPosition };
}

describe('cron job audit-chain-verify', () => {
  it('is one of the cron jobs', () => {
    expect(cronJobs.map((job) => job.name)).toContain('audit-chain-verify');
  });

  it('verifies the entries added since its checkpoint, moves the checkpoint, and logs the hash it reached', async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 3);
    const first = await runFor(tenant.id);
    expect(first.result).toMatchObject({ verified: 1, broken: [] });
    let chain = await chainOf(db, tenant.id);
    expect(await checkpointOf(tenant.id)).toEqual({ position: 3, hash: hex(chain[2]!.hash), brokenPosition: null });
    expect(first.lines).toContainEqual({
      level: 'info',
      msg: 'audit chain verified',
      fields: { organizationId: tenant.id, position: 3, hash: hex(chain[2]!.hash) },
    });

    await writeEntries(db, tenant.id, 2);
    expect((await runFor(tenant.id)).result).toMatchObject({ verified: 1, broken: [] });
    chain = await chainOf(db, tenant.id);
    expect(await checkpointOf(tenant.id)).toEqual({ position: 5, hash: hex(chain[4]!.hash), brokenPosition: null });

    // Nothing new: nothing to do.
    expect((await runFor(tenant.id)).result).toMatchObject({ verified: 0 });
  });

  it('reports a broken new entry: an error log line, the checkpoint marked, and a count on /health', async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 2);
    await runFor(tenant.id);
    await writeEntries(db, tenant.id, 2);
    const victim = (await chainOf(db, tenant.id))[3]!;
    await editEntry(owner, victim.id);

    const { result, lines } = await runFor(tenant.id);
    expect(result.broken).toEqual([tenant.id]);
    expect(result.brokenOrganizations).toBeGreaterThanOrEqual(1);
    expect(lines).toContainEqual({
      level: 'error',
      msg: 'audit chain broken',
      fields: expect.objectContaining({
        organizationId: tenant.id,
        position: 4,
        reason: 'hash_mismatch',
        entryId: victim.id,
      }) as Record<string, unknown>,
    });
    expect(await checkpointOf(tenant.id)).toMatchObject({ position: 2, brokenPosition: 4 });

    const health = (await (await call('/health')).json()) as {
      status: string;
      auditChain: { brokenOrganizations: number; checkedAt: string } | null;
    };
    expect(health.auditChain!.brokenOrganizations).toBeGreaterThanOrEqual(1);
    // ADR 0002: the status still describes the dependencies only.
    expect(health.status).toBe('ok');
    // A broken chain is not walked again every minute.
    expect((await runFor(tenant.id)).result).toMatchObject({ verified: 0 });
  });

  it('anchors: a rewrite that recomputed every later hash and the head still breaks at the checkpoint', async () => {
    const tenant = await h.newTenant();
    await writeEntries(db, tenant.id, 4);
    await runFor(tenant.id);
    await rewriteFrom(owner, tenant.id, 2);

    // The endpoint compares with the checkpoint's hash at position 4.
    expect(await verify(tenant.users.org_admin.headers)).toMatchObject({
      intact: false,
      firstBrokenPosition: 4,
      reason: 'checkpoint_mismatch',
    });
    // The cron starts from its checkpoint's own hash, so the next entry no longer links to it.
    await writeEntries(db, tenant.id, 1);
    const { result } = await runFor(tenant.id);
    expect(result.broken).toEqual([tenant.id]);
    expect(await checkpointOf(tenant.id)).toMatchObject({ position: 4, brokenPosition: 5 });
  });
});
