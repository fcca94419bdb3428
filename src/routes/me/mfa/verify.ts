import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { verifySecondFactor } from '../../../services/mfa/verify-second-factor.ts';
import { IdempotencyHeaderSchema } from '../../shared/params.ts';
import { bearerOrSession, problemResponses } from '../../shared/problem-schema.ts';
import { credentialOf, selfContext } from './caller.ts';
import { mfaAttemptLimit } from './confirm-totp.ts';
import { MfaVerificationSchema, VerifyMfaBodySchema } from './schemas.ts';

export const verifyMfaRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/verify',
  operationId: 'verifyMfa',
  tags: ['Security'],
  summary: 'Verify a second factor for this token or session',
  description: [
    'A current authenticator code (`code`) or an unused recovery code (`recoveryCode`) makes the credential of this request',
    '(the bearer token, or the browser session) count as multi-factor until it expires (subject to the organization\u2019s',
    'max_age). The answer to a privileged request refused with 401 insufficient_user_authentication, where the organization',
    'lets the built-in authenticator count.',
    'Each code counts once (422 mfa_code_already_used); a wrong one is 422 invalid_mfa_code; attempts are limited per user',
    '(policy "mfa-verify", 429). Audited as user.mfa_verified or user.mfa_recovery_code_used.',
  ].join(' '),
  security: bearerOrSession,
  middleware: [mfaAttemptLimit] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: VerifyMfaBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429),
    200: { description: 'Verified', content: { 'application/json': { schema: MfaVerificationSchema } } },
  },
});

export function registerVerifyMfa(app: OpenAPIHono<AppEnv>) {
  app.openapi(verifyMfaRoute, async (c) => {
    const { ctx, principal } = selfContext(c);
    const body = c.req.valid('json');
    const credential = credentialOf(principal);
    const factor = body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode ?? '' };
    const verification = await verifySecondFactor({ ctx, input: { ...factor, credential } });
    return c.json(
      {
        ...verification,
        verifiedAt: verification.verifiedAt.toISOString(),
        expiresAt: verification.expiresAt.toISOString(),
      },
      200,
    );
  });
}
