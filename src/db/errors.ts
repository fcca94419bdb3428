/**
 * Postgres failures that say "the database is not available right now" rather than "this query is
 * wrong": connection exceptions (08), insufficient resources (53, e.g. too many connections), operator
 * intervention (57P0x), and driver-level failures that never reached the server. They are 503s.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    'connection terminated',
    'connection refused',
    'econnrefused',
    'econnreset',
    'websocket',
    'network connection lost',
    'timeout exceeded when trying to connect',
    'too many clients',
    'cannot use a pool after calling end',
  ].join('|'),
  'i',
);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code)) return true;
    // A query error from the server carries a SQLSTATE; only errors without one can be transport failures.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return false;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message) && !(cause instanceof Error)) return true;
    current = cause;
  }
  return false;
}
