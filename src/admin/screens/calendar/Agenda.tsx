/** The next 30 days from the date as a list grouped by day: the same items, readable top to bottom. */
import { Link } from 'react-router';
import { Time } from '../../ui/Time.tsx';
import { type ScheduledItem, toKey } from './dates.ts';

const dayTitle = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

export function Agenda({ org, days, items }: { org: string; days: Date[]; items: ScheduledItem[] }) {
  const groups = days
    .map((day) => ({ day, items: items.filter((i) => toKey(new Date(i.scheduledAt)) === toKey(day)) }))
    .filter((g) => g.items.length);
  if (!groups.length)
    return (
      <div className="empty-state card">
        <p>Nothing scheduled in these 30 days.</p>
        <p className="small">Approved items are scheduled from the workflow panel in the editor.</p>
      </div>
    );
  return (
    <div className="stack agenda">
      {groups.map((g) => (
        <section key={toKey(g.day)} className="card" aria-label={dayTitle.format(g.day)}>
          <h3 className="agenda-day">{dayTitle.format(g.day)}</h3>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Title</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((item) => (
                <tr key={item.id} className={item.failed ? 'agenda-failed' : undefined}>
                  <td>
                    <Time iso={item.scheduledAt} />
                  </td>
                  <td>
                    <Link to={`/o/${org}/content/${item.id}`}>{item.title}</Link>
                  </td>
                  <td className="small">
                    {item.failed ? (
                      <span className="cal-failed-text">
                        <strong>Failed</strong>: {item.scheduleError ?? 'not published'}
                      </span>
                    ) : item.status !== 'approved' || item.version !== item.scheduledVersion ? (
                      <span className="cal-stale-text">
                        <strong>At risk</strong>:{' '}
                        {item.status === 'approved'
                          ? 'changed since scheduling'
                          : `now ${item.status.replace('_', ' ')}`}
                        ; it will fail unless approved again and rescheduled
                      </span>
                    ) : (
                      <span className="muted">Scheduled (version {item.scheduledVersion})</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
