import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerDeleteSso } from './delete.ts';
import { registerGetSso } from './get.ts';
import { registerUpdateSso } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerSsoRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetSso(app);
  registerUpdateSso(app);
  registerDeleteSso(app);
}
