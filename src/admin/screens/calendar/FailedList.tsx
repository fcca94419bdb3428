/**
 * Every failed scheduled publication, whatever the calendar shows: they are not retried (docs/decisions/0015),
 * so each needs someone to fix the cause and schedule or publish again.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Time } from '../../ui/Time.tsx';

export function FailedList({ org }: { org: string }) {
  const failed = useQuery({
    queryKey: ['schedule', org, 'failed'],
    queryFn: async () => unwrap(await api.GET('/api/v1/schedule', { params: { query: { limit: 100 } } })).failed,
  });
  if (failed.isError) return <ProblemView error={failed.error} compact onRetry={() => failed.refetch()} />;
  if (!failed.data?.length) return null;
  return (
    <section className="warning cal-failures" aria-labelledby="failures-heading">
      <h2 id="failures-heading" className="cal-failures-title">
        {failed.data.length} scheduled publication{failed.data.length === 1 ? '' : 's'} failed
      </h2>
      <p className="small">Not retried: fix the cause, then schedule or publish again from the editor.</p>
      <ul>
        {failed.data.map((item) => (
          <li key={item.id}>
            <Link to={`/o/${org}/content/${item.id}`}>{item.title}</Link>, due <Time iso={item.scheduledAt} />
            {item.scheduleFailedAt ? (
              <>
                , failed <Time iso={item.scheduleFailedAt} />
              </>
            ) : null}
            : {item.scheduleError ?? 'not published'}
          </li>
        ))}
      </ul>
    </section>
  );
}
