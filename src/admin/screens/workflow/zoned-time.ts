/**
 * Local date-time + IANA zone → UTC instant, in the browser, to preview what the API will store and to warn
 * about daylight-saving changes before the API says 422 (the API converts the same way: a skipped time is
 * refused, a repeated one means the earlier instant; see docs/decisions/0013).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(timeZone: string, epochMs: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second'));
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

export type ZonedResult =
  | { kind: 'invalid' }
  | { kind: 'ok'; instant: Date }
  | { kind: 'gap'; offsetBefore: number; offsetAfter: number }
  | { kind: 'overlap'; instant: Date; later: Date };

const DAY = 86_400_000;

/** What a wall-clock reading (YYYY-MM-DD, HH:mm) in a zone means: one instant, none (gap) or two (overlap). */
export function resolveLocal(date: string, time: string, timeZone: string): ZonedResult {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return { kind: 'invalid' };
  let wall: number;
  try {
    wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
    formatter(timeZone);
  } catch {
    return { kind: 'invalid' };
  }
  if (Number.isNaN(wall)) return { kind: 'invalid' };
  // Offsets a day either side cover every real-world transition; each gives one candidate instant.
  const before = offsetMinutes(timeZone, wall - DAY);
  const after = offsetMinutes(timeZone, wall + DAY);
  const candidates = [...new Set([wall - before * 60_000, wall - after * 60_000])]
    .filter((ms) => ms + offsetMinutes(timeZone, ms) * 60_000 === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0) return { kind: 'gap', offsetBefore: before, offsetAfter: after };
  const [first, second] = candidates as [number, number | undefined];
  if (second !== undefined) return { kind: 'overlap', instant: new Date(first), later: new Date(second) };
  return { kind: 'ok', instant: new Date(first) };
}

/** "UTC+01:00" for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Every IANA zone the browser knows (UTC included), for the picker. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return supported.includes('UTC') ? supported : ['UTC', ...supported];
}

/** Today's date and a time an hour from now, rounded to the next quarter hour, as the zone reads them. */
export function defaultLocal(timeZone: string, now = Date.now()): { date: string; time: string } {
  const quarter = 15 * 60_000;
  const ms = Math.ceil((now + 3_600_000) / quarter) * quarter;
  const wall = new Date(ms + offsetMinutes(timeZone, ms) * 60_000).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}
