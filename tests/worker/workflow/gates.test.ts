import { describe, expect, it } from 'vitest';
import type { NewContent } from '../../../src/db/schema/index.ts';
import { readProblem } from '../helpers.ts';
import { act, tenantItem, putCompliance, readContent, setThreshold, trail } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, useTenant } = useHarness();
// Its own organization: these tests change the approval threshold, which no other file may see.
const org = useTenant({ approvalThreshold: 7 });
const later = () => new Date(Date.now() + 86_400_000).toISOString();
// If-Match for the sign-offs: items start at version 1, and one write takes them to 2.
const [v1, v2] = [{ 'if-match': '"1"' }, { 'if-match': '"2"' }];

async function expectGateFailure(res: Response, code: string, gates: string[]) {
  expect(res.status, await res.clone().text()).toBe(422);
  const problem = await readProblem(res);
  expect(problem.code).toBe(code);
  expect(problem.errors.map((e) => e.path)).toEqual(gates.map((g) => `gate.${g}`));
  for (const gate of gates) expect(problem.detail).toContain(gate);
}

describe('approval gates', () => {
  const failing: [string, Partial<NewContent>, string, string[]][] = [
    ['compliance pending', { complianceStatus: 'pending' }, 'gate_compliance', ['compliance']],
    ['compliance flagged', { complianceStatus: 'flagged' }, 'gate_compliance', ['compliance']],
    ['compliance rejected', { complianceStatus: 'rejected' }, 'gate_compliance', ['compliance']],
    ['quality below the threshold', { qualityScore: 6.99 }, 'gate_quality', ['quality']],
    ['quality not scored', { qualityScore: null }, 'gate_quality', ['quality']],
    ['both', { complianceStatus: 'flagged', qualityScore: 3 }, 'gates_not_met', ['compliance', 'quality']],
  ];

  for (const [name, values, code, gates] of failing) {
    it(`${name} blocks approval with 422 ${code}; nothing changes`, async () => {
      const item = await tenantItem(db, org, { status: 'pending_approval', ...values });
      await expectGateFailure(await act(item.id, 'approve', org.users.approver.headers, undefined, v1), code, gates);
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    });
  }

  it('the message names the score and the threshold', async () => {
    const item = await tenantItem(db, org, { status: 'pending_approval', qualityScore: 6.5 });
    const problem = await readProblem(await act(item.id, 'approve', org.users.approver.headers, undefined, v1));
    expect(problem.detail).toContain('6.5');
    expect(problem.detail).toContain('threshold 7');
  });

  it('a score exactly at the threshold passes', async () => {
    const item = await tenantItem(db, org, { status: 'pending_approval', qualityScore: 7 });
    const res = await act(item.id, 'approve', org.users.approver.headers, undefined, v1);
    expect(res.status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'approved', version: 2 });
  });

  it('are checked again at publish and schedule time: a compliance review after approval blocks both', async () => {
    const item = await tenantItem(db, org, { status: 'approved' });
    const review = await putCompliance(
      item.id,
      org.users.approver.headers,
      { status: 'flagged', note: 'Unbalanced risk disclosure.' },
      v1,
    );
    expect(review.status).toBe(200);
    const reviewed = (await readContent(db, item.id))!;
    expect(reviewed).toMatchObject({ status: 'approved', complianceStatus: 'flagged', version: 2 });
    await expectGateFailure(await act(item.id, 'publish', org.users.editor.headers, undefined, v2), 'gate_compliance', [
      'compliance',
    ]);
    await expectGateFailure(
      await act(item.id, 'schedule', org.users.editor.headers, { scheduledAt: later() }, v2),
      'gate_compliance',
      ['compliance'],
    );
    expect(await readContent(db, item.id)).toEqual(reviewed);
  });

  it('are checked again at publish and schedule time: a stricter policy since approval blocks both', async () => {
    const item = await tenantItem(db, org, { status: 'pending_approval', qualityScore: 7.5 });
    expect((await act(item.id, 'approve', org.users.approver.headers, undefined, v1)).status).toBe(200);
    await setThreshold(db, org, 8);
    try {
      await expectGateFailure(await act(item.id, 'publish', org.users.editor.headers, undefined, v2), 'gate_quality', [
        'quality',
      ]);
      await expectGateFailure(
        await act(item.id, 'schedule', org.users.editor.headers, { scheduledAt: later() }, v2),
        'gate_quality',
        ['quality'],
      );
      expect(await readContent(db, item.id)).toMatchObject({
        status: 'approved',
        version: 2,
        publishedVersion: null,
        scheduledAt: null,
      });
      expect(await trail(db, item.id)).toEqual({ versions: 1, audit: 1, events: 1 });
    } finally {
      await setThreshold(db, org, 7);
    }
    expect((await act(item.id, 'publish', org.users.editor.headers, undefined, v2)).status).toBe(200);
  });

  it('do not apply to submit, reject, unpublish, archive or restore', async () => {
    const poor = { qualityScore: 1, complianceStatus: 'rejected' } as const;
    const cases: [Partial<NewContent>, string, unknown][] = [
      [{ status: 'draft' }, 'submit', undefined],
      [{ status: 'pending_approval' }, 'reject', { comment: 'Rewrite it.' }],
      [{ status: 'published', publishedVersion: 1 }, 'unpublish', undefined],
      [{ status: 'approved' }, 'archive', undefined],
      [{ status: 'archived' }, 'restore', undefined],
    ];
    for (const [values, action, body] of cases) {
      const item = await tenantItem(db, org, { ...poor, ...values });
      const res = await act(item.id, action, org.users.org_admin.headers, body);
      expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
    }
  });
});
