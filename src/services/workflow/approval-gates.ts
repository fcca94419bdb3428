import type { Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';

export type Gate = 'compliance' | 'quality';

/** Which gates an item fails under the organization's policy (empty when it may be approved or published). */
export function failedGates(
  item: Pick<Content, 'complianceStatus' | 'qualityScore'>,
  policy: EditorialPolicy,
): Array<{ gate: Gate; detail: string }> {
  const failed: Array<{ gate: Gate; detail: string }> = [];
  if (item.complianceStatus !== 'approved')
    failed.push({ gate: 'compliance', detail: `compliance is ${item.complianceStatus}, must be approved` });
  if (item.qualityScore === null || item.qualityScore < policy.approvalThreshold) {
    failed.push({
      gate: 'quality',
      detail: `quality score ${item.qualityScore ?? 'unscored'} is below the organization's threshold ${policy.approvalThreshold}`,
    });
  }
  return failed;
}

/** 422 naming each gate that fails: the request is well formed, the content is not ready. */
export function assertGatesPass(
  item: Pick<Content, 'complianceStatus' | 'qualityScore'>,
  policy: EditorialPolicy,
): void {
  const failed = failedGates(item, policy);
  if (failed.length === 0) return;
  throw new DomainError('rule_violation', `Approval gates not met: ${failed.map((f) => f.detail).join('; ')}.`, {
    code: failed.length === 1 ? `gate_${failed[0]!.gate}` : 'gates_not_met',
    fields: failed.map((f) => ({ path: `gate.${f.gate}`, message: f.detail, code: `gate_${f.gate}` })),
  });
}
