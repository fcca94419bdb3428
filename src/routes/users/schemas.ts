import { z } from '@hono/zod-openapi';
import { userRoles, userStatuses } from '../../db/schema/index.ts';
import { MAX_PROFILE_BYTES, MAX_PROFILE_DEPTH } from '../../services/users/user-rules.ts';
import { PaginationQuerySchema } from '../shared/params.ts';

const ProfileSchema = z.record(z.string(), z.unknown()).openapi({
  description:
    `Free-form display data (name, avatar, locale, …): at most ${MAX_PROFILE_DEPTH} levels of nested objects ` +
    `and arrays, or 400; at most ${MAX_PROFILE_BYTES / 1024} KB as JSON, or 422.`,
  example: { displayName: 'Ada Lovelace' },
});

// Strict: unknown fields and server-owned ones (id, organizationId, lastLogin, createdAt, updatedAt) are 400, named.
export const CreateUserBodySchema = z
  .object({
    email: z.email().max(320).openapi({
      description: 'Unique across the platform, compared case-insensitively; stored in lower case.',
      example: 'ada@demo.example.com',
    }),
    role: z.enum(userRoles).openapi({ description: 'Only a super_admin may create a super_admin.', example: 'editor' }),
    status: z.enum(userStatuses).default('active').openapi({ description: 'Defaults to active.' }),
    profile: ProfileSchema.optional(),
  })
  .strict()
  .openapi('CreateUser');

export const UpdateUserBodySchema = z
  .object({
    role: z
      .enum(userRoles)
      .optional()
      .openapi({ description: 'Not your own; an org_admin can neither grant nor change super_admin.' }),
    status: z
      .enum(userStatuses)
      .optional()
      .openapi({ description: 'Not your own. A suspended or inactive user is refused (403) on every request.' }),
    profile: ProfileSchema.optional().openapi({ description: 'Replaces the whole profile.' }),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of role, status, profile' })
  .openapi('UpdateUser');

export const ListUsersQuerySchema = PaginationQuerySchema.extend({
  role: z.enum(userRoles).optional(),
  status: z.enum(userStatuses).optional(),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Case-insensitive substring of the email.', example: 'example.com' }),
}).strict();

export const userLocation = (id: string) => `/api/v1/users/${id}`;

export const UserLocationHeaderSchema = z.object({
  Location: z.string().openapi({
    description: 'Where the new user lives',
    example: '/api/v1/users/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
  }),
});
