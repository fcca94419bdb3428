import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCreateApiKey } from './create.ts';
import { registerGetApiKey } from './get.ts';
import { registerListApiKeys } from './list.ts';
import { registerRevokeApiKey } from './revoke.ts';

/** Registers one route file per operation of this resource. */
export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateApiKey(app);
  registerListApiKeys(app);
  registerGetApiKey(app);
  registerRevokeApiKey(app);
}
