import { z } from '@hono/zod-openapi';
import type { SessionSummary } from '../../services/sessions/list-sessions.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

export const SessionSchema = z
  .object({
    id: z.string().openapi({ description: 'SHA-256 of the cookie (never the cookie itself).' }),
    current: z.boolean().openapi({ description: 'The session this request was made with.' }),
    createdAt: dateTime('Signed in'),
    lastSeenAt: dateTime('Last used (to the minute)'),
    idleExpiresAt: dateTime('Ends if unused until then'),
    expiresAt: dateTime('Ends at the latest'),
    issuer: z.string().openapi({ description: 'The identity provider that authenticated the sign-in.' }),
    amr: z.array(z.string()).openapi({ description: 'How the person authenticated (RFC 8176), as the provider said.' }),
    acr: z.string().nullable(),
    authTime: dateTime('When the provider authenticated the person').nullable(),
    mfa: z.boolean().openapi({ description: 'Whether the provider says more than one factor was used.' }),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi('Session');

export const SessionIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a session id (64 hex digits)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export function toSessionResource(session: SessionSummary, currentId: string | undefined) {
  return {
    id: session.id,
    current: session.id === currentId,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    issuer: session.issuer,
    amr: session.amr,
    acr: session.acr,
    authTime: session.authTime?.toISOString() ?? null,
    mfa: session.mfa,
    userAgent: session.userAgent,
    ip: session.ip,
  };
}
