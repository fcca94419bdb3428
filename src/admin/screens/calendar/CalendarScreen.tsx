/**
 * /o/:org/calendar: scheduled publications (GET /api/v1/schedule) as a month grid, a week, or an agenda list,
 * with ?view=&date= in the URL. Failed publications are flagged with their reason; times are the viewer's
 * zone, named. The grid moves with the arrow keys (roving focus), Page Up/Down change month.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { browserTimeZone } from '../../ui/Time.tsx';
import { Agenda } from './Agenda.tsx';
import { FailedList } from './FailedList.tsx';
import { MonthGrid, WeekColumns, zoneName } from './Grid.tsx';
import { fromKey, rangeOf, type ScheduledItem, step, toKey, type View } from './dates.ts';
import './calendar.css';

const views: { value: View; label: string }[] = [
  { value: 'month', label: 'Month' },
  { value: 'week', label: 'Week' },
  { value: 'agenda', label: 'Agenda' },
];

const mediumDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export default function CalendarScreen() {
  const { org = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const view = (views.some((v) => v.value === search.get('view')) ? search.get('view') : 'month') as View;
  const date = fromKey(search.get('date')) ?? new Date(new Date().toDateString());
  const { start, end, days } = rangeOf(view, date);

  const go = (next: { view?: View; date?: Date }) =>
    setSearch(
      (prev) => {
        const params = new URLSearchParams(prev);
        if (next.view) params.set('view', next.view);
        if (next.date) params.set('date', toKey(next.date));
        return params;
      },
      { replace: !next.view },
    );

  const schedule = useQuery({
    queryKey: ['schedule', org, start.toISOString(), end.toISOString()],
    // The grid stays mounted while the next month loads, so keyboard focus follows the arrow keys across it.
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/schedule', {
          params: {
            query: { from: start.toISOString(), to: new Date(end.getTime() - 1).toISOString(), limit: 100 },
          },
        }),
      ),
  });
  const items: ScheduledItem[] = [
    ...(schedule.data?.upcoming ?? []).map((i) => ({ ...i, failed: false })),
    ...(schedule.data?.failed ?? []).map((i) => ({ ...i, failed: true })),
  ].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const capped = (schedule.data?.upcoming.length ?? 0) >= 100 || (schedule.data?.failed.length ?? 0) >= 100;

  const title =
    view === 'month'
      ? new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' }).format(date)
      : `${mediumDate.format(start)} – ${mediumDate.format(days[days.length - 1])}`;

  return (
    <div className="calendar-screen stack">
      <PageHeader title="Calendar">
        <p className="muted small">
          Scheduled publications. All times are in your time zone, {browserTimeZone} ({zoneName}).
        </p>
      </PageHeader>
      <FailedList org={org} />
      <div className="row calendar-toolbar">
        <fieldset className="row toolbar-group">
          <legend className="visually-hidden">Move</legend>
          <Button
            onClick={() => go({ date: step(view, date, -1) })}
            aria-label={`Previous ${view === 'agenda' ? '30 days' : view}`}
          >
            ‹ Previous
          </Button>
          <Button onClick={() => go({ date: new Date(new Date().toDateString()) })}>Today</Button>
          <Button
            onClick={() => go({ date: step(view, date, 1) })}
            aria-label={`Next ${view === 'agenda' ? '30 days' : view}`}
          >
            Next ›
          </Button>
        </fieldset>
        <h2 className="calendar-title" aria-live="polite">
          {title}
        </h2>
        <fieldset className="row toolbar-group">
          <legend className="visually-hidden">View</legend>
          {views.map((v) => (
            <Button
              key={v.value}
              variant={v.value === view ? 'primary' : 'secondary'}
              aria-pressed={v.value === view}
              onClick={() => go({ view: v.value })}
            >
              {v.label}
            </Button>
          ))}
        </fieldset>
      </div>
      {capped ? (
        <p className="notice small">More than 100 items in this range: showing the first 100. Use the week view.</p>
      ) : null}
      {schedule.isPending ? <Skeleton lines={8} label="Loading the schedule" /> : null}
      {schedule.isError ? <ProblemView error={schedule.error} onRetry={() => schedule.refetch()} /> : null}
      {schedule.isSuccess && view === 'month' ? (
        <MonthGrid org={org} date={date} days={days} items={items} onFocusDate={(d) => go({ date: d })} />
      ) : null}
      {schedule.isSuccess && view === 'week' ? (
        <WeekColumns org={org} date={date} days={days} items={items} onFocusDate={(d) => go({ date: d })} />
      ) : null}
      {schedule.isSuccess && view === 'agenda' ? <Agenda org={org} days={days} items={items} /> : null}
    </div>
  );
}
