/**
 * Date, time and IANA time zone for a scheduled publication, with a live preview of the instant in UTC and
 * in the viewer's zone, and a warning when the local time is skipped or repeated by a daylight-saving change.
 */
import { useId, useMemo } from 'react';
import { browserTimeZone, formatDateTime } from '../../ui/Time.tsx';
import { formatOffset, resolveLocal, timeZones, type ZonedResult } from './zoned-time.ts';

export interface ScheduleValue {
  date: string;
  time: string;
  timeZone: string;
}

const utc = (d: Date) => formatDateTime(d.toISOString(), 'UTC');
const viewer = (d: Date) => formatDateTime(d.toISOString(), browserTimeZone);

/** Why this value cannot be scheduled, or null. */
export function scheduleProblem(result: ZonedResult, now = Date.now()): string | null {
  if (result.kind === 'invalid') return 'Enter a date and a time.';
  if (result.kind === 'gap') return 'That local time does not exist (the clocks skip it); pick another time.';
  if (result.instant.getTime() <= now) return 'That time has passed; pick a time in the future.';
  return null;
}

export function ScheduleFields({
  value,
  onChange,
}: {
  value: ScheduleValue;
  onChange: (value: ScheduleValue) => void;
}) {
  const zones = useMemo(timeZones, []);
  const listId = useId();
  const result = resolveLocal(value.date, value.time, value.timeZone);
  const problem = scheduleProblem(result);
  const knownZone = zones.includes(value.timeZone);
  return (
    <div className="stack">
      <div className="row schedule-fields">
        <label className="field">
          <span>Date</span>
          <input
            type="date"
            required
            value={value.date}
            onChange={(e) => onChange({ ...value, date: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Time</span>
          <input
            type="time"
            required
            step={60}
            value={value.time}
            onChange={(e) => onChange({ ...value, time: e.target.value })}
          />
        </label>
        <label className="field schedule-zone">
          <span>Time zone</span>
          <input
            list={listId}
            required
            spellCheck={false}
            autoComplete="off"
            value={value.timeZone}
            aria-invalid={!knownZone || undefined}
            onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
          />
          <datalist id={listId}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      </div>
      {!knownZone ? (
        <p className="field-error">Unknown time zone: choose an IANA name from the list, such as Europe/London.</p>
      ) : null}
      {knownZone && result.kind === 'gap' ? (
        <p className="warning" role="alert">
          {value.time} does not exist in {value.timeZone} on {value.date}: the clocks jump from{' '}
          {formatOffset(result.offsetBefore)} to {formatOffset(result.offsetAfter)} (daylight saving). Pick another
          time.
        </p>
      ) : null}
      {knownZone && result.kind === 'overlap' ? (
        <p className="warning" role="status">
          {value.time} happens twice in {value.timeZone} on {value.date} (clocks go back). The earlier one is used:{' '}
          {utc(result.instant)}, not {utc(result.later)}.
        </p>
      ) : null}
      {knownZone && (result.kind === 'ok' || result.kind === 'overlap') ? (
        <dl className="schedule-preview" aria-live="polite">
          <dt>In UTC</dt>
          <dd>{utc(result.instant)}</dd>
          <dt>Your time ({browserTimeZone})</dt>
          <dd>{viewer(result.instant)}</dd>
        </dl>
      ) : null}
      {knownZone && problem && result.kind !== 'gap' ? <p className="field-error">{problem}</p> : null}
    </div>
  );
}
