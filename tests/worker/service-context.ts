import { env } from 'cloudflare:test';
import { loadConfig, type Bindings } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { createServices, type ServiceContext } from '../../src/services/container.ts';

/**
 * A service context over the test bindings (optionally overridden), for service-level tests. Tests take
 * theirs from the harness (tests/worker/harness.ts), which closes it after the file.
 */
export function serviceContext(
  overrides: Partial<Bindings> = {},
  logger: Logger = createLogger('error'),
): ServiceContext {
  const bindings = { ...env, ...overrides } as Bindings;
  const config = loadConfig(bindings);
  return { services: createServices(bindings, config, logger), logger, requestId: crypto.randomUUID() };
}
