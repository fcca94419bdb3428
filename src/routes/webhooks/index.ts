import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { registerCreateWebhook } from './create.ts';
import { registerDeleteWebhook } from './delete.ts';
import { registerGetWebhook } from './get.ts';
import { registerListWebhookDeliveries } from './list-deliveries.ts';
import { registerListWebhooks } from './list.ts';
import { registerReplayWebhookDelivery } from './replay-delivery.ts';
import { registerRotateWebhookSecret } from './rotate-secret.ts';
import { registerTestWebhook } from './test.ts';
import { registerUpdateWebhook } from './update.ts';

/** Registers one route file per operation of this resource. */
export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateWebhook(app);
  registerListWebhooks(app);
  registerGetWebhook(app);
  registerUpdateWebhook(app);
  registerDeleteWebhook(app);
  registerRotateWebhookSecret(app);
  registerListWebhookDeliveries(app);
  registerReplayWebhookDelivery(app);
  registerTestWebhook(app);
}
