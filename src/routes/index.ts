import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { registerAuthRoutes } from './auth/index.ts';
import { registerDeliveryRoutes } from './delivery/index.ts';
import { registerDocs } from './docs/register.ts';
import { registerGetHealth } from './health/get.ts';
import { registerGetLiveness } from './health/live.ts';
import { registerManagementRoutes } from './management.ts';
import { registerProblemRoutes } from './problems/index.ts';

/**
 * Every route of the Worker: public system routes (health, docs, the error catalogue), the management API
 * (/api/v1), browser sign-in (/auth) and the delivery API (/delivery/v1).
 */
export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetHealth(app);
  registerGetLiveness(app);
  registerManagementRoutes(app);
  registerAuthRoutes(app);
  registerDeliveryRoutes(app);
  registerProblemRoutes(app);
  registerDocs(app);
}
