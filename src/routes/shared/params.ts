import { z } from '@hono/zod-openapi';

/** `{id}` path parameters: a malformed id is 400, an unknown (or another tenant's) id is 404. */
export const IdParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11' }),
});

/** Documented on every POST; enforced by src/middleware/idempotency.ts. */
export const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Idempotency-Key: makes a retried POST safe; repeats within 24 h replay the first response.',
    }),
});

export const PaginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});

export const paginated = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      data: z.array(item),
      page: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
      totalPages: z.number().int(),
    })
    .openapi(name);

/** The body `paginated` documents: one page of resources and where it sits in the whole list. */
export const pageBody = <T>(data: T[], request: { page: number; limit: number }, total: number) => ({
  data,
  page: request.page,
  limit: request.limit,
  total,
  totalPages: Math.ceil(total / request.limit),
});
