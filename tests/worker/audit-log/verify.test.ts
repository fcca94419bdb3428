import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemContext } from '../../../src/services/container.ts';
import { verifyAuditChain } from '../../../src/services/audit-log/verify-audit-chain.ts';
import { call, readProblem, tokenFor, useHarness, type Tenant, type TenantRole } from '../harness.ts';
import {
  behindTheTrigger,
  chainOf,
  deleteEntry,
  editEntry,
  hex,
  ownerDb,
  rewriteFrom,
  verify,
  writeEntries,
} from './chain-fixtures.ts';

const h = useHarness();
const { db } = h;
const owner = ownerDb(h);

/** A tenant of its own with `n` chained entries, so a break here touches no other test. */
async function tenantWithEntries(n: number): Promise<Tenant> {
  const tenant = await h.newTenant();
  await writeEntries(db, tenant.id, n);
  return tenant;
}

const admin = (tenant: Tenant) => tenant.users.org_admin.headers;

describe('GET /api/v1/audit-log/verify', () => {
  it('reports an intact chain: every entry checked, and the head it ends at', async () => {
    const tenant = await tenantWithEntries(5);
    // An entry written through the API chains like the rest.
    const policy = await call('/api/v1/editorial-policy', {
      method: 'PUT',
      headers: { ...admin(tenant), 'content-type': 'application/json' },
      body: JSON.stringify({ approvalThreshold: 6 }),
    });
    expect(policy.status).toBe(200);
    const chain = await chainOf(db, tenant.id);
    expect(chain.map((e) => e.chainPosition)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chain.at(-1)!.action).toBe('organization.policy_update');

    const result = await verify(admin(tenant));
    expect(result).toEqual({
      intact: true,
      from: 1,
      checked: 6,
      next: null,
      head: { position: 6, hash: hex(chain.at(-1)!.hash) },
    });
  });

  it('walks a long chain in bounded calls, each saying where the next one starts', async () => {
    const tenant = await tenantWithEntries(7);
    const pages: Array<{ from: number; checked: number; next: number | null }> = [];
    let from: number | null = 1;
    while (from !== null) {
      const result = await verify(admin(tenant), `?from=${from}&limit=3`);
      expect(result.intact).toBe(true);
      if (!result.intact) break;
      pages.push({ from: result.from, checked: result.checked, next: result.next });
      from = result.next;
    }
    expect(pages).toEqual([
      { from: 1, checked: 3, next: 4 },
      { from: 4, checked: 3, next: 7 },
      { from: 7, checked: 1, next: null },
    ]);
  });

  it('checks at most AUDIT_VERIFY_MAX_ENTRIES in one call, whatever `limit` asks', async () => {
    const tenant = await tenantWithEntries(101);
    const ctx = systemContext(h.context({ AUDIT_VERIFY_MAX_ENTRIES: '100' }), tenant.id);
    for (const limit of [undefined, 5_000]) {
      expect(await verifyAuditChain({ ctx, input: { from: 1, limit } })).toMatchObject({
        intact: true,
        checked: 100,
        next: 101,
      });
    }
    expect(await verifyAuditChain({ ctx, input: { from: 101, limit: undefined } })).toMatchObject({
      intact: true,
      checked: 1,
      next: null,
      head: { position: 101 },
    });
  });

  it('an organization with no entries yet is intact, and so is a `from` past the head', async () => {
    const tenant = await h.newTenant();
    expect(await verify(admin(tenant))).toMatchObject({ intact: true, checked: 0, head: { position: 0 } });
    const other = await tenantWithEntries(2);
    expect(await verify(admin(other), '?from=50')).toMatchObject({ intact: true, checked: 0, next: null });
  });

  it('finds an entry the owner edited in place, at its position, with both hashes', async () => {
    const tenant = await tenantWithEntries(5);
    const before = await chainOf(db, tenant.id);
    const victim = before[2]!;
    await editEntry(owner, victim.id);

    const result = await verify(admin(tenant));
    expect(result).toMatchObject({
      intact: false,
      firstBrokenPosition: 3,
      reason: 'hash_mismatch',
      entryId: victim.id,
      found: hex(victim.hash),
    });
    if (result.intact) return;
    expect(result.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(result.expected).not.toBe(result.found);
    // Found from a later start too: the link into the segment is checked against the stored entry before it.
    expect(await verify(admin(tenant), '?from=4')).toMatchObject({ intact: true, checked: 2 });
    expect(await verify(admin(tenant), '?from=3')).toMatchObject({ intact: false, firstBrokenPosition: 3 });
  });

  it('finds a deleted entry, and a deleted last entry', async () => {
    const tenant = await tenantWithEntries(5);
    const chain = await chainOf(db, tenant.id);
    await deleteEntry(owner, chain[1]!.id);
    expect(await verify(admin(tenant))).toMatchObject({
      intact: false,
      firstBrokenPosition: 2,
      reason: 'entry_missing',
      entryId: chain[2]!.id,
      expected: '2',
      found: '3',
    });

    const tail = await tenantWithEntries(3);
    const tailChain = await chainOf(db, tail.id);
    await deleteEntry(owner, tailChain[2]!.id);
    expect(await verify(admin(tail))).toMatchObject({
      intact: false,
      firstBrokenPosition: 3,
      reason: 'entry_missing',
      expected: '3',
      found: 'none',
    });
  });

  it('finds an entry rehashed after its edit by the next link, which still names the old hash', async () => {
    const tenant = await tenantWithEntries(4);
    const chain = await chainOf(db, tenant.id);
    await editEntry(owner, chain[1]!.id);
    await rehashOne(tenant.id, 2);
    const [rehashed] = (await chainOf(db, tenant.id)).filter((e) => e.chainPosition === 2);
    expect(hex(rehashed!.hash)).not.toBe(hex(chain[1]!.hash));
    expect(await verify(admin(tenant))).toMatchObject({
      intact: false,
      firstBrokenPosition: 3,
      reason: 'link_mismatch',
      entryId: chain[2]!.id,
      expected: hex(rehashed!.hash),
      found: hex(chain[1]!.hash),
    });
  });

  it('does not see a rewrite that recomputed everything after it, without an anchor (see the cron test)', async () => {
    const tenant = await tenantWithEntries(4);
    await rewriteFrom(owner, tenant.id, 2);
    // Documented limit (ADR 0030): only a hash recorded outside the rewrite (the cron's checkpoint and log) shows it.
    expect(await verify(admin(tenant))).toMatchObject({ intact: true, checked: 4 });
  });

  it("checks only the caller's organization: another tenant's break is not seen, nor its entries counted", async () => {
    const broken = await tenantWithEntries(3);
    const intact = await tenantWithEntries(2);
    await editEntry(owner, (await chainOf(db, broken.id))[0]!.id);
    expect(await verify(admin(intact))).toMatchObject({ intact: true, checked: 2, head: { position: 2 } });
    expect(await verify(admin(broken))).toMatchObject({ intact: false, firstBrokenPosition: 1 });
    // A super_admin sees the organization it acts in.
    const superAdmin = { authorization: `Bearer ${await tokenFor('super_admin')}` };
    expect(await verify({ ...superAdmin, 'x-organization-id': intact.id })).toMatchObject({ intact: true, checked: 2 });
    expect(await verify({ ...superAdmin, 'x-organization-id': broken.id })).toMatchObject({ intact: false });
  });

  it('requires audit.read: org_admin yes; editor, approver and viewer 403; no token 401', async () => {
    const tenant = await tenantWithEntries(1);
    const denied: TenantRole[] = ['editor', 'approver', 'viewer'];
    for (const role of denied) {
      const res = await call('/api/v1/audit-log/verify', { headers: tenant.users[role].headers });
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
    expect((await call('/api/v1/audit-log/verify')).status).toBe(401);
    expect((await verify(admin(tenant))).intact).toBe(true);
  });

  it('400 for a `from` below 1, a limit out of range, or an unknown parameter', async () => {
    const tenant = await tenantWithEntries(1);
    for (const query of ['?from=0', '?from=abc', '?limit=0', '?limit=100001', '?since=1']) {
      const res = await call(`/api/v1/audit-log/verify${query}`, { headers: admin(tenant) });
      expect(res.status, query).toBe(400);
      expect((await readProblem(res)).code).toBe('validation_failed');
    }
  });
});

/** Recomputes the hash of one entry only (not the later ones): a forger who stopped halfway. */
function rehashOne(organizationId: string, position: number): Promise<void> {
  return behindTheTrigger(owner, (tx) =>
    tx.execute(sql`
      update audit_log a set hash = audit_log_entry_hash(a)
      where organization_id = ${organizationId} and chain_position = ${position}`),
  );
}
