/**
 * Month and week grids. One day cell is in the tab order at a time (roving focus); arrow keys move a day or a
 * week, Home/End to the week's ends, Page Up/Down a month (a week in the week view). Items are links to the
 * editor, reached with Tab from their day.
 */
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { ScheduledItem } from './dates.ts';
import { addDays, addMonths, sameDay, timeOfDay, toKey, weekdayNames } from './dates.ts';

const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
export const zoneName =
  new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value ?? '';

export function ItemChip({ org, item, detailed }: { org: string; item: ScheduledItem; detailed?: boolean }) {
  const when = detailed ? `${timeOfDay(item.scheduledAt)} ${zoneName}` : timeOfDay(item.scheduledAt);
  const full = `${timeOfDay(item.scheduledAt)} ${zoneName}`;
  const stale = !item.failed && (item.status !== 'approved' || item.version !== item.scheduledVersion);
  const why = item.failed
    ? `Failed: ${item.scheduleError ?? 'not published'}`
    : stale
      ? `Will fail unless fixed: the item is ${item.status === 'approved' ? 'changed since scheduling' : item.status.replace('_', ' ')}`
      : 'Scheduled';
  return (
    <Link
      to={`/o/${org}/content/${item.id}`}
      className={`cal-item${item.failed ? ' cal-item-failed' : stale ? ' cal-item-stale' : ''}`}
      title={`${item.title} · ${full} · ${why} · ${new Date(item.scheduledAt).toISOString()}`}
    >
      <span className="cal-time">{when}</span>{' '}
      {item.failed ? (
        <span className="cal-flag">Failed</span>
      ) : stale ? (
        <span className="cal-flag">At risk</span>
      ) : null}{' '}
      <span className="cal-title">{item.title}</span>
      {detailed && (item.failed || stale) ? <span className="cal-why">{why}</span> : null}
    </Link>
  );
}

interface GridProps {
  org: string;
  date: Date;
  days: Date[];
  items: ScheduledItem[];
  onFocusDate: (date: Date) => void;
}

/** Where a key moves the focused day (null: not a move key). */
function moveFor(key: string, date: Date, pageStep: (d: Date, dir: 1 | -1) => Date): Date | null {
  const weekday = (date.getDay() + 6) % 7;
  switch (key) {
    case 'ArrowLeft':
      return addDays(date, -1);
    case 'ArrowRight':
      return addDays(date, 1);
    case 'ArrowUp':
      return addDays(date, -7);
    case 'ArrowDown':
      return addDays(date, 7);
    case 'Home':
      return addDays(date, -weekday);
    case 'End':
      return addDays(date, 6 - weekday);
    case 'PageUp':
      return pageStep(date, -1);
    case 'PageDown':
      return pageStep(date, 1);
    default:
      return null;
  }
}

function useRovingGrid(date: Date, onFocusDate: (date: Date) => void, pageStep: (d: Date, dir: 1 | -1) => Date) {
  const ref = useRef<HTMLTableElement>(null);
  const moved = useRef(false);
  const key = toKey(date);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    ref.current?.querySelector<HTMLElement>(`[data-date="${key}"]`)?.focus();
  }, [key]);
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if ((event.target as HTMLElement).getAttribute('role') !== 'gridcell') return;
    const move = moveFor(event.key, date, pageStep);
    if (!move) return;
    event.preventDefault();
    moved.current = true;
    onFocusDate(move);
  };
  return { ref, onKeyDown };
}

function DayCell({
  org,
  day,
  date,
  items,
  muted,
  detailed,
}: {
  org: string;
  day: Date;
  date: Date;
  items: ScheduledItem[];
  muted?: boolean;
  detailed?: boolean;
}) {
  const today = sameDay(day, new Date());
  const failed = items.filter((i) => i.failed).length;
  return (
    <td
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (arrow keys between days) on a table
      role="gridcell"
      data-date={toKey(day)}
      tabIndex={sameDay(day, date) ? 0 : -1}
      aria-selected={sameDay(day, date)}
      className={`cal-day${muted ? ' cal-other' : ''}${today ? ' cal-today' : ''}${sameDay(day, date) ? ' cal-focus' : ''}`}
    >
      <div className="cal-day-head">
        <span aria-hidden="true">{day.getDate()}</span>
        <span className="visually-hidden">
          {longDay.format(day)}
          {today ? ', today' : ''}: {items.length ? `${items.length} scheduled` : 'nothing scheduled'}
          {failed ? `, ${failed} failed` : ''}
        </span>
      </div>
      <div className="cal-items">
        {items.map((item) => (
          <ItemChip key={item.id} org={org} item={item} detailed={detailed} />
        ))}
      </div>
    </td>
  );
}

const byDay = (items: ScheduledItem[]) => {
  const map = new Map<string, ScheduledItem[]>();
  for (const item of items) {
    const key = toKey(new Date(item.scheduledAt));
    map.set(key, [...(map.get(key) ?? []), item]);
  }
  return map;
};

export function MonthGrid({ org, date, days, items, onFocusDate }: GridProps) {
  const { ref, onKeyDown } = useRovingGrid(date, onFocusDate, addMonths);
  const grouped = byDay(items);
  const weeks = Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
  return (
    <table
      ref={ref}
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (arrow keys between days) on a table
      role="grid"
      className="cal-grid cal-month"
      aria-label={new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' }).format(date)}
      onKeyDown={onKeyDown}
    >
      <thead>
        <tr>
          {weekdayNames.map((name) => (
            <th key={name} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={toKey(week[0] as Date)}>
            {week.map((day) => (
              <DayCell
                key={toKey(day)}
                org={org}
                day={day}
                date={date}
                items={grouped.get(toKey(day)) ?? []}
                muted={day.getMonth() !== date.getMonth()}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WeekColumns({ org, date, days, items, onFocusDate }: GridProps) {
  const { ref, onKeyDown } = useRovingGrid(date, onFocusDate, (d, dir) => addDays(d, 7 * dir));
  const grouped = byDay(items);
  return (
    <table
      ref={ref}
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (arrow keys between days) on a table
      role="grid"
      className="cal-grid cal-week"
      aria-label="Week"
      onKeyDown={onKeyDown}
    >
      <thead>
        <tr>
          {days.map((day) => (
            <th key={toKey(day)} scope="col">
              {new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' }).format(day)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {days.map((day) => (
            <DayCell key={toKey(day)} org={org} day={day} date={date} items={grouped.get(toKey(day)) ?? []} detailed />
          ))}
        </tr>
      </tbody>
    </table>
  );
}
