import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetMe } from './get.ts';
import { registerMyMfaRoutes } from './mfa/index.ts';
import { registerGetMyPermissions } from './permissions.ts';

/** Registers one route file per operation of this resource. */
export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetMyPermissions(app);
  registerGetMe(app);
  registerMyMfaRoutes(app);
}
