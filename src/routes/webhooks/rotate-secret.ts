import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { rotateWebhookSecret } from '../../services/webhooks/rotate-webhook-secret.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema, IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { RotatedWebhookSecretSchema, toWebhookResource } from './schemas.ts';

export const rotateWebhookSecretRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags: ['Webhooks'],
  summary: 'Rotate the signing secret',
  description: [
    'Creates a new signing secret, returned once. The previous one keeps signing for 24 hours: meanwhile ' +
      'every delivery carries one signature per secret, so receivers can switch without missing one.',
    'Requires webhooks.manage; audited as webhook.rotate_secret (without the secret).',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 429),
    200: {
      description: 'The webhook with its new secret',
      content: { 'application/json': { schema: RotatedWebhookSecretSchema } },
    },
  },
});

export function registerRotateWebhookSecret(app: OpenAPIHono<AppEnv>) {
  app.openapi(rotateWebhookSecretRoute, async (c) => {
    const { secret, previousSecretExpiresAt, ...view } = await rotateWebhookSecret({
      ctx: tenantContext(c),
      input: c.req.valid('param'),
    });
    c.header('cache-control', 'no-store');
    return c.json(
      { ...toWebhookResource(view), secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
      200,
    );
  });
}
