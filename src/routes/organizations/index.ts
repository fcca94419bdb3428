import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCreateOrganization } from './create.ts';
import { registerGetOrganization } from './get.ts';
import { registerListOrganizations } from './list.ts';
import { registerUpdateOrganization } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerOrganizationRoutes(app: OpenAPIHono<AppEnv>) {
  registerListOrganizations(app);
  registerCreateOrganization(app);
  registerGetOrganization(app);
  registerUpdateOrganization(app);
}
