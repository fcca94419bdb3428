import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetMe } from './get.ts';
import { registerListMySessions } from './list-sessions.ts';
import { registerMyMfaRoutes } from './mfa/index.ts';
import { registerGetMyPermissions } from './permissions.ts';
import { registerRevokeMySession } from './revoke-session.ts';

/** Registers one route file per operation of this resource. */
export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetMyPermissions(app);
  registerGetMe(app);
  registerListMySessions(app);
  registerRevokeMySession(app);
  registerMyMfaRoutes(app);
}
