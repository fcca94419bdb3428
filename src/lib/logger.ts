/** Structured JSON logs, one object per line, so Workers Logs and `wrangler tail` can filter on fields. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(minLevel: LogLevel, base: Record<string, unknown> = {}): Logger {
  return {
    log(level, msg, fields = {}) {
      if (rank[level] < rank[minLevel]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields });
      if (level === 'error') console.error(line);
      else if (level === 'warn') console.warn(line);
      else console.log(line);
    },
    child(fields) {
      return createLogger(minLevel, { ...base, ...fields });
    },
  };
}

/** An error for the log: name, message, stack, SQLSTATE if any, and its causes (driver errors hide there). */
export function describe(err: unknown, depth = 0): Record<string, unknown> | undefined {
  if (err === undefined || err === null) return undefined;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      ...(typeof code === 'string' ? { code } : {}),
      stack: err.stack,
      ...(err.cause !== undefined && depth < 3 ? { cause: describe(err.cause, depth + 1) } : {}),
    };
  }
  return { value: String(err) };
}
