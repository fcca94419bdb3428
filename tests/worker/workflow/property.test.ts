import { desc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { can, canEditContent } from '../../../src/auth/permissions.ts';
import {
  contentVersions,
  organizations,
  type ComplianceStatus,
  type Content,
  type ContentStatus,
  type UserRole,
} from '../../../src/db/schema/index.ts';
import { transitions, type WorkflowAction } from '../../../src/services/workflow/transitions.ts';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { act, putCompliance, putContent, readContent, trail, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db } = useHarness();

type Step =
  | { kind: 'action'; action: WorkflowAction; role: UserRole; withComment: boolean }
  | { kind: 'edit'; role: UserRole }
  | { kind: 'compliance'; role: UserRole; verdict: 'approved' | 'flagged' | 'rejected' };

const weighted = <T>(choices: [T, number][]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));

// Biased toward the roles and actions that move an item forward, so sequences reach approval and publication
// often enough; every role and action still appears.
const role = weighted<UserRole>([
  ['super_admin', 2],
  ['org_admin', 3],
  ['approver', 4],
  ['editor', 3],
  ['viewer', 1],
]);
const action = weighted<WorkflowAction>([
  ['submit', 4],
  ['approve', 4],
  ['reject', 1],
  ['publish', 3],
  ['schedule', 2],
  ['unschedule', 1],
  ['unpublish', 1],
  ['archive', 1],
  ['restore', 1],
]);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('action' as const), action, role, withComment: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), role }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('compliance' as const),
      role,
      verdict: weighted<'approved' | 'flagged' | 'rejected'>([
        ['approved', 4],
        ['flagged', 1],
        ['rejected', 1],
      ]),
    }),
  },
);

/** A fresh item in any status: sequences then start from every corner of the transition table, not only from draft. */
const start = fc.record({
  status: weighted<ContentStatus>([
    ['draft', 3],
    ['pending_approval', 2],
    ['approved', 2],
    ['published', 1],
    ['archived', 1],
  ]),
  complianceStatus: weighted<ComplianceStatus>([
    ['pending', 2],
    ['approved', 3],
    ['flagged', 1],
  ]),
  scheduled: fc.boolean(),
});

const gated: readonly WorkflowAction[] = ['approve', 'publish', 'schedule'];

/**
 * The model: what the API must answer for this step on this item, derived from the permission table, the
 * transition table and the rules (four eyes, edit rule, gates), in the order the API checks them.
 */
function expectedStatus(s: Step, item: Content, threshold: number): number {
  const own = item.creatorId === userId(s.role);
  if (s.kind === 'edit') return !canEditContent(s.role, own) ? 403 : item.status === 'archived' ? 409 : 200;
  if (s.kind === 'compliance')
    return !can(s.role, 'content.approve') || own ? 403 : item.status === 'archived' ? 409 : 200;
  const transition = transitions[s.action];
  if (!transition.permissions.some((p) => can(s.role, p))) return 403;
  if (s.action === 'reject' && !s.withComment) return 400;
  if (s.action === 'submit' && !canEditContent(s.role, own)) return 403;
  if (s.action === 'approve' && own) return 403;
  if (!transition.from.includes(item.status)) return 409;
  if (s.action === 'unschedule' && item.scheduledAt === null) return 409;
  const gatesPass =
    item.complianceStatus === 'approved' && item.qualityScore !== null && item.qualityScore >= threshold;
  if (gated.includes(s.action) && !gatesPass) return 422;
  return 200;
}

async function perform(s: Step, id: string): Promise<Response> {
  const headers = await authHeaders(s.role);
  if (s.kind === 'edit') return putContent(id, headers, { title: `Edited ${crypto.randomUUID()}` });
  if (s.kind === 'compliance')
    return putCompliance(id, headers, {
      status: s.verdict,
      ...(s.verdict === 'approved' ? {} : { note: 'Needs work.' }),
    });
  const body = {
    ...(s.withComment ? { comment: `Step ${s.action}` } : {}),
    ...(s.action === 'schedule' ? { scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } : {}),
  };
  return act(id, s.action, headers, body);
}

const auditAction = (s: Step) =>
  s.kind === 'edit' ? 'content.update' : s.kind === 'compliance' ? 'content.compliance' : `content.${s.action}`;

async function threshold(): Promise<number> {
  const [org] = await db
    .select({ t: organizations.approvalThreshold })
    .from(organizations)
    .where(eq(organizations.id, ORG_ID.demo));
  return org!.t;
}

describe('workflow property: random action sequences by random roles', () => {
  const outcomes = new Map<string, number>();
  it('never lets an illegal transition or a self-approval through; every success leaves one version, ' +
    'audit row and event; every failure leaves nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        role,
        start,
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (creator, initial, steps) => {
          const created = await workflowItem(db, {
            creatorId: userId(creator),
            status: initial.status,
            complianceStatus: initial.complianceStatus,
            qualityScore: 8,
            publishedVersion: initial.status === 'published' ? 1 : null,
            scheduledAt: initial.scheduled && initial.status === 'approved' ? new Date(Date.now() + 86_400_000) : null,
          });
          for (const s of steps) {
            const before = (await readContent(db, created.id))!;
            const countsBefore = await trail(db, created.id);
            const expected = expectedStatus(s, before, await threshold());
            const res = await perform(s, created.id);
            const after = (await readContent(db, created.id))!;
            const counts = await trail(db, created.id);
            const label =
              `${JSON.stringify(s)} on ${before.status} (creator ${creator}, compliance ${before.complianceStatus}, ` +
              `quality ${before.qualityScore}): ${await res.clone().text()}`;

            if (res.status === 200) {
              if (s.kind === 'action') {
                expect(transitions[s.action].from, label).toContain(before.status);
                expect(after.status, label).toBe(transitions[s.action].to);
                if (s.action === 'approve') expect(userId(s.role), label).not.toBe(before.creatorId);
              }
              if (s.kind === 'compliance') expect(userId(s.role), label).not.toBe(before.creatorId);
              expect(after.version, label).toBe(before.version + 1);
              expect(counts, label).toEqual({
                versions: countsBefore.versions + 1,
                audit: countsBefore.audit + 1,
                events: countsBefore.events + 1,
              });
              const [latest] = await db
                .select()
                .from(contentVersions)
                .where(eq(contentVersions.contentId, created.id))
                .orderBy(desc(contentVersions.version))
                .limit(1);
              expect(latest, label).toMatchObject({
                version: after.version,
                action: auditAction(s),
                authorId: userId(s.role),
              });
              if (after.status === 'published') expect(after.publishedVersion, label).not.toBeNull();
            } else {
              expect(after, label).toEqual(before);
              expect(counts, label).toEqual(countsBefore);
            }
            expect(res.status, label).toBe(expected);
            const key = `${s.kind === 'action' ? s.action : s.kind} ${res.status}`;
            outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 40 },
    );
    // Not vacuous: the sequences got far enough for many different steps to succeed.
    const succeeded = [...outcomes.keys()].filter((key) => key.endsWith(' 200'));
    expect(succeeded.length, [...outcomes].sort().join(', ')).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
