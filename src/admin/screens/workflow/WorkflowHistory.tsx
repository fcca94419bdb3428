/**
 * The item's workflow history from its versions (every step is a version whose message is the comment), so
 * every role sees who submitted, approved, rejected or published, and why. Edits are on the versions screen.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client.ts';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { usePeople } from '../versions/people.ts';

export const actionLabels: Record<string, string> = {
  'content.create': 'Created',
  'content.update': 'Edited',
  'content.submit': 'Submitted for review',
  'content.approve': 'Approved',
  'content.reject': 'Rejected',
  'content.publish': 'Published',
  'content.schedule': 'Scheduled',
  'content.unschedule': 'Unscheduled',
  'content.unpublish': 'Unpublished',
  'content.archive': 'Archived',
  'content.restore': 'Restored from archive',
  'content.compliance': 'Compliance reviewed',
  'content.version_restore': 'Restored an earlier version',
  'content.schedule_failed': 'Scheduled publication failed',
};

export const actionLabel = (action: string) =>
  actionLabels[action] ?? action.replace(/^content\./, '').replaceAll('_', ' ');

export function WorkflowHistory({
  itemId,
  org,
  versions,
}: {
  itemId: string;
  org: string;
  versions: UseQueryResult<Schemas['ContentVersionList']>;
}) {
  const who = usePeople();
  const steps = (versions.data?.data ?? []).filter((v) => v.action !== 'content.update').slice(0, 12);
  return (
    <section className="workflow-history stack" aria-labelledby="workflow-history-heading">
      <div className="row workflow-history-head">
        <h3 id="workflow-history-heading" className="workflow-group-label">
          History
        </h3>
        <Link to={`/o/${org}/content/${itemId}/versions`} className="small">
          All versions
        </Link>
      </div>
      {versions.isPending ? <Skeleton lines={3} label="Loading history" /> : null}
      {versions.isError ? <ProblemView error={versions.error} compact onRetry={() => versions.refetch()} /> : null}
      {versions.isSuccess && steps.length === 0 ? <p className="muted small">No workflow steps yet.</p> : null}
      {steps.length ? (
        <ol className="history-list">
          {steps.map((v) => (
            <li key={v.version}>
              <div>
                <strong>{actionLabel(v.action)}</strong>{' '}
                <span className="muted small">
                  v{v.version} · {who(v.author)} · <Time iso={v.createdAt} />
                </span>
              </div>
              {v.message ? <blockquote className="history-message">{v.message}</blockquote> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
