import { z } from '@hono/zod-openapi';
import { userRoles, userStatuses, type User } from '../../db/schema/index.ts';

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    organizationId: z.uuid(),
    role: z.enum(userRoles),
    status: z.enum(userStatuses),
    profile: z.record(z.string(), z.unknown()),
    lastLogin: z.string().nullable().openapi({ format: 'date-time' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

export type UserResource = z.infer<typeof UserSchema>;

export function toUserResource(user: User): UserResource {
  return {
    id: user.id,
    email: user.email,
    organizationId: user.organizationId,
    role: user.role,
    status: user.status,
    profile: user.profile,
    lastLogin: user.lastLogin?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
