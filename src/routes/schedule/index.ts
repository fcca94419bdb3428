import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerListSchedule } from './list.ts';

/** Registers one route file per operation of this resource. */
export function registerScheduleRoutes(app: OpenAPIHono<AppEnv>) {
  registerListSchedule(app);
}
