import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { deliveryRateLimit } from '../../middleware/delivery-rate-limit.ts';
import { rateLimitHeaders } from '../../middleware/rate-limit.ts';
import { deliveryCors } from './cors.ts';
import { registerGetPublishedItem } from './get-item.ts';
import { registerListPublished } from './list.ts';
import { registerPostEngagementEvents } from './post-events.ts';

/**
 * The delivery API (`/delivery/v1/{org}`): published content from KV for any client, and engagement
 * events onto the queue. Separate from /api/v1: its own credentials (delivery tokens), no management
 * middleware, CORS for every origin. Rate limits come right after CORS (so a browser can read a 429) and
 * before any handler looks anything up (docs/decisions/0029).
 */
export function registerDeliveryRoutes(app: OpenAPIHono<AppEnv>) {
  app.use('/delivery/v1/*', deliveryCors, rateLimitHeaders, deliveryRateLimit);
  registerListPublished(app);
  registerGetPublishedItem(app);
  registerPostEngagementEvents(app);
}
