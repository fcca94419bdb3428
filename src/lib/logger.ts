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
