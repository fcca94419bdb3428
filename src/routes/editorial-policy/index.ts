import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetEditorialPolicy } from './get.ts';
import { registerUpdateEditorialPolicy } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerEditorialPolicyRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetEditorialPolicy(app);
  registerUpdateEditorialPolicy(app);
}
