import type { Schemas } from '../../api/client.ts';

/** Calendar arithmetic in the viewer's time zone (the browser's): days, weeks starting Monday, months. */

export type View = 'month' | 'week' | 'agenda';

export const toKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function fromKey(key: string | null): Date | null {
  const m = key ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(key) : null;
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

export const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);

export function addMonths(d: Date, n: number): Date {
  const target = new Date(d.getFullYear(), d.getMonth() + n, 1);
  const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  return new Date(target.getFullYear(), target.getMonth(), Math.min(d.getDate(), last));
}

export const startOfWeek = (d: Date) => addDays(d, -((d.getDay() + 6) % 7));

export const sameDay = (a: Date, b: Date) => toKey(a) === toKey(b);

/** The days a view shows: six weeks around the month, one week, or 30 days from the date. */
export function rangeOf(view: View, date: Date): { start: Date; end: Date; days: Date[] } {
  let start: Date;
  let count: number;
  if (view === 'month') {
    start = startOfWeek(new Date(date.getFullYear(), date.getMonth(), 1));
    const last = new Date(date.getFullYear(), date.getMonth() + 1, 0);
    count = Math.round((addDays(startOfWeek(last), 7).getTime() - start.getTime()) / 86_400_000);
  } else if (view === 'week') {
    start = startOfWeek(date);
    count = 7;
  } else {
    start = date;
    count = 30;
  }
  const days = Array.from({ length: count }, (_, i) => addDays(start, i));
  return { start, end: addDays(start, count), days };
}

export function step(view: View, date: Date, direction: 1 | -1): Date {
  if (view === 'month') return addMonths(date, direction);
  if (view === 'week') return addDays(date, 7 * direction);
  return addDays(date, 30 * direction);
}

export const weekdayNames = Array.from({ length: 7 }, (_, i) =>
  new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(new Date(2024, 0, 1 + i)),
);

export const timeOfDay = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

/** A scheduled item as the calendar draws it: upcoming, or failed (due, tried and not published). */
export type ScheduledItem = Schemas['ScheduledItem'] & { failed: boolean };
