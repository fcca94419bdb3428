import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { registerDocs } from './docs/register.ts';
import { registerGetHealth } from './health/get.ts';
import { registerManagementRoutes } from './management.ts';

/** Every route of the Worker: public system routes, then the management API (/api/v1, authenticated). */
export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetHealth(app);
  registerManagementRoutes(app);
  registerDocs(app);
}
