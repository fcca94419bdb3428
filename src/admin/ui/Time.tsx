/**
 * Times always name their time zone (a toy shows "10:00" and leaves you to guess): the viewer's zone, with the
 * UTC instant in the tooltip and the machine-readable value in <time datetime>.
 */
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatDateTime(iso: string, timeZone = zone): string {
  return new Intl.DateTimeFormat(undefined, {
    // dateStyle/timeStyle cannot be combined with timeZoneName (a RangeError), so the fields are spelled out.
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export function relative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function Time({ iso, mode = 'absolute' }: { iso: string | null | undefined; mode?: 'absolute' | 'relative' }) {
  if (!iso) return <span className="muted">—</span>;
  const absolute = formatDateTime(iso);
  return (
    <time dateTime={iso} title={`${absolute} · ${new Date(iso).toISOString()}`}>
      {mode === 'relative' ? relative(iso) : absolute}
    </time>
  );
}

export const browserTimeZone = zone;
