import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';

/** Registers one route file per operation of this resource. */
export function registerAuditLogRoutes(_app: OpenAPIHono<AppEnv>) {}
