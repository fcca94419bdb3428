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
    // A client whose connection broke refuses every later statement, a transaction's ROLLBACK included, and
    // drizzle then throws that refusal instead of the break itself.
    'is not queryable',
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

/** The SQLSTATE of a server error, wherever in the cause chain the driver and drizzle put it. */
export function sqlState(err: unknown): string | undefined {
  for (let current: unknown = err, depth = 0; current && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * Class 22, data exception (22007 invalid datetime format, 22008 datetime field overflow, 22003 numeric
 * value out of range, 22P02 invalid text representation, …): the database refused a value. Only a value
 * from a request gets that far, past validation that should have stopped it, so it is a 400, never a 5xx.
 */
export const isDataException = (err: unknown): boolean => sqlState(err)?.startsWith('22') ?? false;
