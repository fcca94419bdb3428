import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerAnalyticsSummary } from './summary.ts';

/** Registers one route file per operation of this resource. (GET /api/v1/content/{id}/stats lives with content.) */
export function registerAnalyticsRoutes(app: OpenAPIHono<AppEnv>) {
  registerAnalyticsSummary(app);
}
