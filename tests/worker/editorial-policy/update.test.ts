import { describe, expect, it } from 'vitest';
import { ORG_ID, authHeaders } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { expectInvalid, organizationRow } from '../users/fixtures.ts';
import { getPolicy, putPolicy } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows, newTenant, insertOrganization } = useHarness();

const policyOf = async (organizationId: string) => {
  const row = await organizationRow(db, organizationId);
  return {
    approvalThreshold: row!.approvalThreshold,
    prohibitedPhrases: row!.prohibitedPhrases,
    requiredDisclaimer: row!.requiredDisclaimer,
  };
};

describe('PUT /api/v1/editorial-policy', () => {
  it('sets the policy: phrases trimmed and deduplicated, disclaimer trimmed; audited as organization.policy_update', async () => {
    const { users, ...org } = await newTenant();
    const res = await putPolicy(users.org_admin.headers, {
      approvalThreshold: 8.5,
      prohibitedPhrases: ['  Guaranteed returns ', 'guaranteed  RETURNS', 'Risk-free', 'risk free', 'moonshot'],
      requiredDisclaimer: '  Not investment advice.  ',
    });
    expect(res.status).toBe(200);
    const expected = {
      approvalThreshold: 8.5,
      prohibitedPhrases: ['Guaranteed returns', 'Risk-free', 'moonshot'],
      requiredDisclaimer: 'Not investment advice.',
    };
    expect(await res.json()).toEqual({ organizationId: org.id, ...expected });
    expect(await policyOf(org.id)).toEqual(expected);

    const [audit, ...more] = await auditRows({ type: 'organization', id: org.id });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({
      action: 'organization.policy_update',
      organizationId: org.id,
      actorType: 'user',
      actorId: users.org_admin.id,
      requestId: res.headers.get('x-request-id'),
    });
    expect(audit!.changes).toEqual({
      before: { approvalThreshold: 7, prohibitedPhrases: [], requiredDisclaimer: null },
      after: expected,
    });
  });

  it('fields left out keep their value; null removes the disclaimer; [] clears the phrases; audits only what changed', async () => {
    const { users, ...org } = await newTenant();
    await putPolicy(users.org_admin.headers, { prohibitedPhrases: ['moonshot'], requiredDisclaimer: 'Not advice.' });
    const threshold = await putPolicy(users.org_admin.headers, { approvalThreshold: 6 });
    expect(await threshold.json()).toMatchObject({
      approvalThreshold: 6,
      prohibitedPhrases: ['moonshot'],
      requiredDisclaimer: 'Not advice.',
    });
    const cleared = await putPolicy(users.org_admin.headers, { requiredDisclaimer: null, prohibitedPhrases: [] });
    expect(await cleared.json()).toEqual({
      organizationId: org.id,
      approvalThreshold: 6,
      prohibitedPhrases: [],
      requiredDisclaimer: null,
    });
    expect(await policyOf(org.id)).toEqual({ approvalThreshold: 6, prohibitedPhrases: [], requiredDisclaimer: null });
    const audits = await auditRows({ type: 'organization', id: org.id });
    expect(audits.map((a) => a.changes)).toEqual([
      {
        before: { prohibitedPhrases: [], requiredDisclaimer: null },
        after: { prohibitedPhrases: ['moonshot'], requiredDisclaimer: 'Not advice.' },
      },
      { before: { approvalThreshold: 7 }, after: { approvalThreshold: 6 } },
      {
        before: { prohibitedPhrases: ['moonshot'], requiredDisclaimer: 'Not advice.' },
        after: { prohibitedPhrases: [], requiredDisclaimer: null },
      },
    ]);
  });

  it('a request that changes nothing succeeds, writes nothing and audits nothing', async () => {
    const { users, ...org } = await newTenant();
    await putPolicy(users.org_admin.headers, { approvalThreshold: 7.5, prohibitedPhrases: ['moonshot'] });
    const before = await organizationRow(db, org.id);
    const res = await putPolicy(users.org_admin.headers, {
      approvalThreshold: 7.5,
      prohibitedPhrases: [' moonshot', 'moonshot'],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ approvalThreshold: 7.5, prohibitedPhrases: ['moonshot'] });
    expect(await organizationRow(db, org.id)).toEqual(before);
    expect(await auditRows({ type: 'organization', id: org.id })).toHaveLength(1);
  });

  it('a super_admin changes the policy of the organization it acts in (X-Organization-Id)', async () => {
    const org = await insertOrganization();
    const res = await putPolicy(await authHeaders('super_admin', 'demo', { 'x-organization-id': org.id }), {
      approvalThreshold: 9,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ organizationId: org.id, approvalThreshold: 9 });
    expect((await policyOf(org.id)).approvalThreshold).toBe(9);
  });

  it('tenant isolation: a change in one organization leaves the others as they were', async () => {
    const globexBefore = await organizationRow(db, ORG_ID.globex);
    const demoBefore = await organizationRow(db, ORG_ID.demo);
    const a = await newTenant();
    const b = await newTenant();
    expect(
      (await putPolicy(a.users.org_admin.headers, { prohibitedPhrases: ['only in a'], approvalThreshold: 3 })).status,
    ).toBe(200);
    expect(await (await getPolicy(b.users.viewer.headers)).json()).toEqual({
      organizationId: b.id,
      approvalThreshold: 7,
      prohibitedPhrases: [],
      requiredDisclaimer: null,
    });
    expect(await organizationRow(db, ORG_ID.globex)).toEqual(globexBefore);
    expect(await organizationRow(db, ORG_ID.demo)).toEqual(demoBefore);
  });

  it('403 for editor, approver and viewer (demo and globex); 401 without credentials; nothing changes', async () => {
    const before = { demo: await organizationRow(db, ORG_ID.demo), globex: await organizationRow(db, ORG_ID.globex) };
    for (const org of ['demo', 'globex'] as const) {
      for (const role of ['editor', 'approver', 'viewer'] as const) {
        const res = await putPolicy(await authHeaders(role, org), { prohibitedPhrases: ['hijacked'] });
        expect(res.status, `${role}@${org}`).toBe(403);
        expect((await readProblem(res)).code).toBe('forbidden');
      }
    }
    expect((await putPolicy({}, { approvalThreshold: 1 })).status).toBe(401);
    expect(await organizationRow(db, ORG_ID.demo)).toEqual(before.demo);
    expect(await organizationRow(db, ORG_ID.globex)).toEqual(before.globex);
    expect(
      await auditRows({ type: 'organization', id: ORG_ID.demo }).then((rows) =>
        rows.filter((r) => r.action === 'organization.policy_update'),
      ),
    ).toEqual([]);
  });

  it('400 for an empty body, unknown fields and bad values, naming the field; nothing changes', async () => {
    const { users, ...org } = await newTenant();
    const cases: Array<[unknown, string]> = [
      [{}, 'body'],
      [{ approvalThreshold: 7, color: 'red' }, 'body.color'],
      [{ organizationId: crypto.randomUUID() }, 'body.organizationId'],
      [{ approvalThreshold: -0.1 }, 'body.approvalThreshold'],
      [{ approvalThreshold: 10.1 }, 'body.approvalThreshold'],
      [{ approvalThreshold: 7.25 }, 'body.approvalThreshold'],
      [{ approvalThreshold: '7' }, 'body.approvalThreshold'],
      [{ prohibitedPhrases: 'scam' }, 'body.prohibitedPhrases'],
      [{ prohibitedPhrases: ['ok phrase', 'x'] }, 'body.prohibitedPhrases.1'],
      [{ prohibitedPhrases: ['   a   '] }, 'body.prohibitedPhrases.0'],
      [{ prohibitedPhrases: ['p'.repeat(101)] }, 'body.prohibitedPhrases.0'],
      [{ prohibitedPhrases: ['!!!'] }, 'body.prohibitedPhrases.0'],
      [{ prohibitedPhrases: [42] }, 'body.prohibitedPhrases.0'],
      [{ prohibitedPhrases: Array.from({ length: 201 }, (_, i) => `phrase ${i}`) }, 'body.prohibitedPhrases'],
      [{ requiredDisclaimer: '' }, 'body.requiredDisclaimer'],
      [{ requiredDisclaimer: '   ' }, 'body.requiredDisclaimer'],
      [{ requiredDisclaimer: 'd'.repeat(2001) }, 'body.requiredDisclaimer'],
    ];
    for (const [body, path] of cases)
      await expectInvalid(await putPolicy(users.org_admin.headers, body), path, JSON.stringify(body).slice(0, 80));
    expect(await policyOf(org.id)).toEqual({ approvalThreshold: 7, prohibitedPhrases: [], requiredDisclaimer: null });
    expect(await auditRows({ type: 'organization', id: org.id })).toEqual([]);
  });

  it('accepts the limits: 0, 10, 200 phrases of 100 characters, a 2000-character disclaimer', async () => {
    const { users } = await newTenant();
    const phrases = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')} ${'p'.repeat(96)}`);
    const res = await putPolicy(users.org_admin.headers, {
      approvalThreshold: 10,
      prohibitedPhrases: phrases,
      requiredDisclaimer: 'd'.repeat(2000),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { prohibitedPhrases: string[] }).prohibitedPhrases).toHaveLength(200);
    expect((await putPolicy(users.org_admin.headers, { approvalThreshold: 0 })).status).toBe(200);
    expect((await putPolicy(users.org_admin.headers, { approvalThreshold: 0.3 })).status).toBe(200);
  });
});
