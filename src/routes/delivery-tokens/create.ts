import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import {
  createDeliveryToken,
  MAX_DELIVERY_TOKEN_LIFETIME_YEARS,
} from '../../services/delivery-tokens/create-delivery-token.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { CreatedDeliveryTokenSchema, toDeliveryTokenResource } from './delivery-token-schema.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../lib/date-time.ts';

const CreateDeliveryTokenBodySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'Where the token is used, shown in lists.', example: 'Marketing website' }),
    expiresAt: dateTimeSchema()
      .nullable()
      .optional()
      .openapi({
        description:
          `Optional expiry, in the future and at most ${MAX_DELIVERY_TOKEN_LIFETIME_YEARS} years ahead. Omitted or null: until revoked. ` +
          DATE_TIME_BOUNDS,
        example: '2027-01-01T00:00:00Z',
      }),
  })
  .strict()
  .openapi('CreateDeliveryToken');

export const createDeliveryTokenRoute = createRoute({
  method: 'post',
  path: '/api/v1/delivery-tokens',
  operationId: 'createDeliveryToken',
  tags: ['Delivery tokens'],
  summary: 'Create a delivery token',
  description:
    'Creates a read-only token for the delivery API, bound to this organization. The secret (`cosd_…`) ' +
    'is returned once, in this response; only its SHA-256 hash is stored. Requires ' +
    'delivery_tokens.manage (org_admin, super_admin).',
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('delivery_tokens.manage'),
    refuseServerOwnedFields([
      'id',
      'organizationId',
      'prefix',
      'secret',
      'secretHash',
      'status',
      'createdBy',
      'lastUsedAt',
      'revokedAt',
      'createdAt',
    ]),
  ] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateDeliveryTokenBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 422, 429),
    201: {
      description: 'Created; the secret is in the body and nowhere else',
      headers: z.object({
        Location: z.string().openapi({
          description: 'The new token',
          example: '/api/v1/delivery-tokens/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
        }),
      }),
      content: { 'application/json': { schema: CreatedDeliveryTokenSchema } },
    },
  },
});

export function registerCreateDeliveryToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(createDeliveryTokenRoute, async (c) => {
    const body = c.req.valid('json');
    const { token, secret } = await createDeliveryToken({
      ctx: tenantContext(c),
      input: { name: body.name, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null },
    });
    c.header('location', `/api/v1/delivery-tokens/${token.id}`);
    c.header('cache-control', 'no-store');
    return c.json({ ...toDeliveryTokenResource(token), secret }, 201);
  });
}
