/** Scheduled publications due in the next 7 days, and those that were due and failed (with the reason). */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { Pill } from '../../ui/Pill.tsx';
import { Time } from '../../ui/Time.tsx';
import { contentUrl } from '../content-list/list-url.ts';
import { ItemList, Widget } from './Widget.tsx';

const WEEK = 7 * 86_400_000;

export function ScheduleWidgets({ org }: { org: string }) {
  const upcoming = useQuery({
    queryKey: ['schedule', 'next-7-days'],
    queryFn: () => {
      const now = Date.now();
      const window = { from: new Date(now).toISOString(), to: new Date(now + WEEK).toISOString(), limit: 20 };
      return api.GET('/api/v1/schedule', { params: { query: window } }).then(unwrap);
    },
  });
  // Failures whenever they were due: the window would hide one that failed last week and is still unresolved.
  const failed = useQuery({
    queryKey: ['schedule', 'failed'],
    queryFn: () => api.GET('/api/v1/schedule', { params: { query: { limit: 20 } } }).then(unwrap),
  });
  const calendar = { to: `/o/${org}/calendar`, label: 'Calendar' };
  return (
    <>
      <Widget title="Scheduled in the next 7 days" query={upcoming} more={calendar}>
        {(schedule) => (
          <ItemList empty="Nothing is scheduled for the next 7 days.">
            {schedule.upcoming.map((item) => (
              <li key={item.id} className="widget-item">
                <div className="widget-item-main">
                  <Link to={contentUrl(org, item.id)}>{item.title}</Link>
                  <span className="small muted">
                    <Time iso={item.scheduledAt} />
                  </span>
                </div>
                <div className="widget-item-side">
                  <Pill value={item.status} />
                  {item.scheduledVersion !== null && item.scheduledVersion !== item.version ? (
                    <span className="pill pill-compliance-flagged" title="Edited since it was scheduled: it will fail">
                      Changed since scheduled
                    </span>
                  ) : null}
                </div>
              </li>
            ))}
          </ItemList>
        )}
      </Widget>
      <Widget title="Failed scheduled publishes" query={failed} more={calendar}>
        {(schedule) => (
          <ItemList empty="No scheduled publication has failed.">
            {schedule.failed.map((item) => (
              <li key={item.id} className="widget-item widget-item-failed">
                <div className="widget-item-main">
                  <Link to={contentUrl(org, item.id)}>{item.title}</Link>
                  <span className="small">
                    Due <Time iso={item.scheduledAt} />
                  </span>
                  <span className="small failure-reason">{item.scheduleError ?? 'Not published'}</span>
                </div>
                <div className="widget-item-side">
                  <span className="pill pill-compliance-rejected">Failed</span>
                </div>
              </li>
            ))}
          </ItemList>
        )}
      </Widget>
    </>
  );
}
