import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCreateUser } from './create.ts';
import { registerGetUser } from './get.ts';
import { registerListUsers } from './list.ts';
import { registerResetUserMfa } from './reset-mfa.ts';
import { registerUpdateUser } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerUserRoutes(app: OpenAPIHono<AppEnv>) {
  registerListUsers(app);
  registerCreateUser(app);
  registerGetUser(app);
  registerUpdateUser(app);
  registerResetUserMfa(app);
}
