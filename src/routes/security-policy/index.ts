import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetSecurityPolicy } from './get.ts';
import { registerUpdateSecurityPolicy } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerSecurityPolicyRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetSecurityPolicy(app);
  registerUpdateSecurityPolicy(app);
}
