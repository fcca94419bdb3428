import { z } from '@hono/zod-openapi';
import type { Organization } from '../../db/schema/index.ts';
import { PaginationQuerySchema } from '../shared/params.ts';

export const OrganizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Demo Capital Markets' }),
    slug: z.string().openapi({ description: 'URL handle, used by the delivery API.', example: 'demo' }),
    apiRateLimitPerMinute: z.number().int().nullable().openapi({
      description: 'Management API requests per minute for the whole organization; null means the platform default.',
      example: 600,
    }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Organization');

export type OrganizationResource = z.infer<typeof OrganizationSchema>;

export function toOrganizationResource(org: Organization): OrganizationResource {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    apiRateLimitPerMinute: org.apiRateLimitPerMinute,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

// The same rules as the database's CHECK constraints, so a bad value is a named 400, not a 500.
const name = z.string().trim().min(1).max(200).openapi({ example: 'Acme Research' });
const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens, 1 to 63 characters')
  .openapi({
    description:
      'Unique (409 slug_taken). Reserved platform words such as api, admin, delivery, www, docs are refused (422 slug_reserved).',
    example: 'acme',
  });
const apiRateLimitPerMinute = z.number().int().min(1).max(1_000_000).nullable().openapi({
  description: 'Requests per minute across the management API; null means the platform default.',
  example: 600,
});

export const CreateOrganizationBodySchema = z
  .object({
    name,
    slug,
    apiRateLimitPerMinute: apiRateLimitPerMinute.optional(),
    initialAdmin: z
      .object({ email: z.email().max(320) })
      .strict()
      .optional()
      .openapi({
        description:
          'Creates the first org_admin in the same transaction; a taken email (409 email_taken) creates nothing.',
      }),
  })
  .strict()
  .openapi('CreateOrganization');

export const UpdateOrganizationBodySchema = z
  .object({ name: name.optional(), slug: slug.optional(), apiRateLimitPerMinute: apiRateLimitPerMinute.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, slug, apiRateLimitPerMinute' })
  .openapi('UpdateOrganization');

export const ListOrganizationsQuerySchema = PaginationQuerySchema.extend({
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Case-insensitive substring of the name or slug.', example: 'acme' }),
}).strict();

export const organizationLocation = (id: string) => `/api/v1/organizations/${id}`;

export const OrganizationLocationHeaderSchema = z.object({
  Location: z.string().openapi({
    description: 'Where the new organization lives',
    example: '/api/v1/organizations/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
  }),
});
