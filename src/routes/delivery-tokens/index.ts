import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCreateDeliveryToken } from './create.ts';
import { registerGetDeliveryToken } from './get.ts';
import { registerListDeliveryTokens } from './list.ts';
import { registerRevokeDeliveryToken } from './revoke.ts';

/** Registers one route file per operation of this resource. */
export function registerDeliveryTokenRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateDeliveryToken(app);
  registerListDeliveryTokens(app);
  registerGetDeliveryToken(app);
  registerRevokeDeliveryToken(app);
}
