import { loadConfig, type Bindings } from '../src/config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createServices, type ServiceContext } from '../src/services/container.ts';

/**
 * Queue batches and cron runs use the same services as requests, with a run id in place of the
 * request id so their log lines can be followed the same way.
 */
export function createBackgroundContext(env: Bindings, fields: Record<string, unknown>): ServiceContext {
  const config = loadConfig(env);
  const requestId = crypto.randomUUID();
  const logger = createLogger(config.logLevel, { requestId, ...fields });
  return { services: createServices(env, config, logger), logger, requestId };
}
