import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerListAuditLog } from './list.ts';
import { registerVerifyAuditLog } from './verify.ts';

/** Registers one route file per operation of this resource. */
export function registerAuditLogRoutes(app: OpenAPIHono<AppEnv>) {
  registerListAuditLog(app);
  registerVerifyAuditLog(app);
}
