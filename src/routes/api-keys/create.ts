import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { userRoles } from '../../db/schema/index.ts';
import type { AppEnv } from '../../app-env.ts';
import { createApiKey, MAX_API_KEY_LIFETIME_YEARS } from '../../services/api-keys/create-api-key.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { CreatedApiKeySchema, toApiKeyResource } from './api-key-schema.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../lib/date-time.ts';

const CreateApiKeyBodySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'What the key is for, shown in lists.', example: 'CI publisher' }),
    role: z.enum(userRoles).openapi({
      description:
        'org_admin, editor, approver or viewer (super_admin is refused with 422), and never more than the caller may do.',
      example: 'editor',
    }),
    expiresAt: dateTimeSchema()
      .nullable()
      .optional()
      .openapi({
        description:
          `Optional expiry, in the future and at most ${MAX_API_KEY_LIFETIME_YEARS} years ahead. Omitted or null: until revoked. ` +
          DATE_TIME_BOUNDS,
        example: '2027-01-01T00:00:00Z',
      }),
  })
  .strict()
  .openapi('CreateApiKey');

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/api-keys',
  operationId: 'createApiKey',
  tags: ['API keys'],
  summary: 'Create an API key',
  description:
    'Creates a key for machine clients, bound to this organization and a role. The secret is returned ' +
    'once, in this response; only its SHA-256 hash is stored. Requires api_keys.manage (org_admin, ' +
    'super_admin).',
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('api_keys.manage'),
    refuseServerOwnedFields([
      'id',
      'organizationId',
      'prefix',
      'secret',
      'secretHash',
      'createdBy',
      'lastUsedAt',
      'revokedAt',
      'createdAt',
    ]),
  ] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateApiKeyBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 422, 429),
    201: {
      description: 'Created; the secret is in the body and nowhere else',
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: 'The new key', example: '/api/v1/api-keys/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11' }),
      }),
      content: { 'application/json': { schema: CreatedApiKeySchema } },
    },
  },
});

export function registerCreateApiKey(app: OpenAPIHono<AppEnv>) {
  app.openapi(createApiKeyRoute, async (c) => {
    const body = c.req.valid('json');
    const { key, secret } = await createApiKey({
      ctx: tenantContext(c),
      input: { name: body.name, role: body.role, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null },
    });
    c.header('location', `/api/v1/api-keys/${key.id}`);
    c.header('cache-control', 'no-store');
    return c.json({ ...toApiKeyResource(key), secret }, 201);
  });
}
