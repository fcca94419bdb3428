import { env } from 'cloudflare:test';
import { loadConfig, type Bindings } from '../../src/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createServices, type ServiceContext } from '../../src/services/container.ts';

/** A service context over the test bindings (optionally overridden), for service-level tests. */
export function serviceContext(overrides: Partial<Bindings> = {}): ServiceContext {
  const bindings = { ...env, ...overrides } as Bindings;
  const config = loadConfig(bindings);
  const logger = createLogger('error');
  return { services: createServices(bindings, config, logger), logger, requestId: crypto.randomUUID() };
}
