import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { startTotpEnrolment } from '../../../services/mfa/start-totp-enrolment.ts';
import { IdempotencyHeaderSchema } from '../../shared/params.ts';
import { bearerOrSession, problemResponses } from '../../shared/problem-schema.ts';
import { selfContext } from './caller.ts';
import { TotpEnrolmentSchema } from './schemas.ts';

export const startTotpRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/totp',
  operationId: 'startTotpEnrolment',
  tags: ['Security'],
  summary: 'Enrol an authenticator app',
  description: [
    'Starts enrolling the built-in authenticator (TOTP, RFC 6238): a new secret, returned this once as an otpauth:// URI',
    'and in base32, stored encrypted. It counts once confirmed with a code (POST /api/v1/me/mfa/totp/confirm) within 15',
    'minutes; calling again restarts a pending enrolment. Reachable without MFA, so a member the policy requires it of',
    'can get it. A confirmed authenticator is never replaced here (409): remove it first, which needs MFA.',
    "403 when the organization's policy turned the built-in authenticator off, or for an API key. Audited as",
    'user.mfa_enrolment_started.',
  ].join(' '),
  security: bearerOrSession,
  request: { headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(401, 403, 409, 429),
    201: { description: 'Enrolment started', content: { 'application/json': { schema: TotpEnrolmentSchema } } },
  },
});

export function registerStartTotp(app: OpenAPIHono<AppEnv>) {
  app.openapi(startTotpRoute, async (c) => {
    const { ctx } = selfContext(c);
    const enrolment = await startTotpEnrolment({ ctx });
    c.header('cache-control', 'no-store');
    return c.json({ ...enrolment, expiresAt: enrolment.expiresAt.toISOString() }, 201);
  });
}
