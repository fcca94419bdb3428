import { DomainError } from './errors.ts';

/** A `from`/`to` window the wrong way round is well formed but meaningless: 422. */
export function assertTimeRange(from: Date | undefined, to: Date | undefined): void {
  if (!from || !to || from.getTime() <= to.getTime()) return;
  throw new DomainError('rule_violation', '`from` must not be after `to`.', {
    code: 'invalid_time_range',
    fields: [{ path: 'query.from', message: 'must not be after query.to', code: 'invalid_time_range' }],
  });
}

/**
 * Timestamps are shown to the millisecond but stored to the microsecond: an inclusive `to` set to an
 * item's own shown time must still include it, so the bound covers the whole millisecond.
 */
export const endOfMillisecond = (to: Date) => new Date(to.getTime() + 1);
