import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerGetDeliverySettings } from './get.ts';
import { registerUpdateDeliverySettings } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerDeliverySettingsRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetDeliverySettings(app);
  registerUpdateDeliverySettings(app);
}
