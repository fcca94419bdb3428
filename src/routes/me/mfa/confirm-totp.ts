import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { principalRateLimit } from '../../../middleware/rate-limit.ts';
import { confirmTotpEnrolment } from '../../../services/mfa/confirm-totp-enrolment.ts';
import { IdempotencyHeaderSchema } from '../../shared/params.ts';
import { bearerOrSession, problemResponses } from '../../shared/problem-schema.ts';
import { credentialOf, selfContext } from './caller.ts';
import { ConfirmedTotpSchema, ConfirmTotpBodySchema } from './schemas.ts';

/** Codes tried per user per minute, right or wrong, confirmations and verifications together. */
export const mfaAttemptLimit = principalRateLimit('mfa-verify', (c) => c.get('config').mfa.verifyAttemptsPerMinute, 60);

export const confirmTotpRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/totp/confirm',
  operationId: 'confirmTotpEnrolment',
  tags: ['Security'],
  summary: 'Confirm the authenticator with its first code',
  description: [
    'A current code from the authenticator confirms the pending enrolment: it returns ten single-use recovery codes (this',
    'once; stored only as digests), and the credential of this request counts as multi-factor from now on. 422',
    'invalid_mfa_code for a wrong code; 409 when no enrolment is pending (or it expired). Codes are limited per user',
    '(MFA_VERIFY_ATTEMPTS_PER_MINUTE, default 5, shared with verify; policy "mfa-verify"). Audited as user.mfa_enrolled.',
  ].join(' '),
  security: bearerOrSession,
  middleware: [mfaAttemptLimit] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: ConfirmTotpBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429),
    200: { description: 'Confirmed', content: { 'application/json': { schema: ConfirmedTotpSchema } } },
  },
});

export function registerConfirmTotp(app: OpenAPIHono<AppEnv>) {
  app.openapi(confirmTotpRoute, async (c) => {
    const { ctx, principal } = selfContext(c);
    const confirmed = await confirmTotpEnrolment({
      ctx,
      input: { code: c.req.valid('json').code, credential: credentialOf(principal) },
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...confirmed, verifiedAt: confirmed.verifiedAt.toISOString() }, 200);
  });
}
