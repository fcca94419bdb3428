import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { authenticate } from '../middleware/authenticate.ts';
import { idempotency } from '../middleware/idempotency.ts';
import { organizationRateLimit, rateLimitHeaders } from '../middleware/rate-limit.ts';
import { registerAnalyticsRoutes } from './analytics/index.ts';
import { registerApiKeyRoutes } from './api-keys/index.ts';
import { registerAuditLogRoutes } from './audit-log/index.ts';
import { registerContentRoutes } from './content/index.ts';
import { registerDeliverySettingsRoutes } from './delivery-settings/index.ts';
import { registerDeliveryTokenRoutes } from './delivery-tokens/index.ts';
import { registerEditorialPolicyRoutes } from './editorial-policy/index.ts';
import { registerMeRoutes } from './me/index.ts';
import { registerOrganizationRoutes } from './organizations/index.ts';
import { registerScheduleRoutes } from './schedule/index.ts';
import { registerSecurityPolicyRoutes } from './security-policy/index.ts';
import { registerSsoRoutes } from './sso/index.ts';
import { registerSystemRoutes } from './system/index.ts';
import { registerUserRoutes } from './users/index.ts';
import { registerWebhookRoutes } from './webhooks/index.ts';

/**
 * The management API. Order matters: headers for every limit counted; who is calling and in which
 * organization; that organization's rate limit; then Idempotency-Key, so a replay costs no handler work.
 */
export function registerManagementRoutes(app: OpenAPIHono<AppEnv>) {
  app.use('/api/v1/*', rateLimitHeaders, authenticate, organizationRateLimit, idempotency);
  registerContentRoutes(app);
  registerMeRoutes(app);
  registerUserRoutes(app);
  registerOrganizationRoutes(app);
  registerApiKeyRoutes(app);
  registerDeliveryTokenRoutes(app);
  registerDeliverySettingsRoutes(app);
  registerAuditLogRoutes(app);
  registerEditorialPolicyRoutes(app);
  registerSecurityPolicyRoutes(app);
  registerScheduleRoutes(app);
  registerAnalyticsRoutes(app);
  registerWebhookRoutes(app);
  registerSsoRoutes(app);
  registerSystemRoutes(app);
}
