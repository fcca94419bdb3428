import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { organizations } from '../../../src/db/schema/index.ts';
import { ORG_ID, authHeaders } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { getPolicy } from './fixtures.ts';
import { useHarness } from '../harness.ts';
import { organizationRow } from '../users/fixtures.ts';

const { db, newTenant } = useHarness();

describe('GET /api/v1/editorial-policy', () => {
  it('every role of the organization reads its policy, as stored', async () => {
    const row = await organizationRow(db, ORG_ID.demo);
    for (const role of ['viewer', 'editor', 'approver', 'org_admin', 'super_admin'] as const) {
      const res = await getPolicy(await authHeaders(role));
      expect(res.status, role).toBe(200);
      expect(await res.json()).toEqual({
        organizationId: ORG_ID.demo,
        approvalThreshold: row!.approvalThreshold,
        prohibitedPhrases: row!.prohibitedPhrases,
        requiredDisclaimer: row!.requiredDisclaimer,
      });
    }
  });

  it('a new organization has the defaults: threshold 7, no phrases, no disclaimer', async () => {
    const { users, ...org } = await newTenant();
    const res = await getPolicy(users.viewer.headers);
    expect(await res.json()).toEqual({
      organizationId: org.id,
      approvalThreshold: 7,
      prohibitedPhrases: [],
      requiredDisclaimer: null,
    });
  });

  it('each tenant sees its own policy', async () => {
    const { users, ...org } = await newTenant();
    await db
      .update(organizations)
      .set({ prohibitedPhrases: ['only here'], approvalThreshold: 9 })
      .where(eq(organizations.id, org.id));
    expect(await (await getPolicy(users.viewer.headers)).json()).toMatchObject({
      organizationId: org.id,
      prohibitedPhrases: ['only here'],
      approvalThreshold: 9,
    });
    const globex = await getPolicy(await authHeaders('viewer', 'globex'));
    expect(globex.status).toBe(200);
    const body = (await globex.json()) as { organizationId: string; prohibitedPhrases: string[] };
    expect(body.organizationId).toBe(ORG_ID.globex);
    expect(body.prohibitedPhrases).not.toContain('only here');
  });

  it('401 without credentials', async () => {
    const res = await getPolicy({});
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });
});
