import type { Content } from '../../db/schema/index.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';
import { failedGates } from '../workflow/approval-gates.ts';

type Scheduled = Pick<Content, 'status' | 'version' | 'scheduledVersion' | 'complianceStatus' | 'qualityScore'>;

/**
 * Why a due item must not go out now, or null when it may. Scheduling approved one version under the
 * policy of that moment; publication re-checks both, because either may have moved since.
 */
export function scheduleBlocker(item: Scheduled, policy: EditorialPolicy): string | null {
  if (item.scheduledVersion !== null && item.version !== item.scheduledVersion) {
    return `content changed since scheduling (version ${item.version}, scheduled ${item.scheduledVersion})`;
  }
  if (item.status !== 'approved') return `content is ${item.status}, not approved`;
  if (item.scheduledVersion === null) return 'no approved version was scheduled; schedule the content again';
  const failed = failedGates(item, policy);
  if (failed.length > 0)
    return `approval gate${failed.length > 1 ? 's' : ''} not met: ${failed.map((f) => `${f.gate} (${f.detail})`).join('; ')}`;
  return null;
}
