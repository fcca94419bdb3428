import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { getMfaStatus } from '../../../services/mfa/get-mfa-status.ts';
import { bearerOrSession, problemResponses } from '../../shared/problem-schema.ts';
import { selfContext } from './caller.ts';
import { MfaStatusSchema } from './schemas.ts';

export const getMfaStatusRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/mfa',
  operationId: 'getMyMfaStatus',
  tags: ['Security'],
  summary: 'My multi-factor status',
  description:
    "Whether the caller's role needs MFA in the organization acted in, whether this credential shows it, and the state of " +
    'the built-in authenticator. Any user, also before MFA (so a client knows to prompt); API keys 403 (they have no factor).',
  security: bearerOrSession,
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The status', content: { 'application/json': { schema: MfaStatusSchema } } },
  },
});

export function registerGetMfaStatus(app: OpenAPIHono<AppEnv>) {
  app.openapi(getMfaStatusRoute, async (c) => {
    const { ctx, principal } = selfContext(c);
    const status = await getMfaStatus({ ctx, input: { principal, policy: c.get('tenant')!.mfaPolicy } });
    return c.json(status, 200);
  });
}
