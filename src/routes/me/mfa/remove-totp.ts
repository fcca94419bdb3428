import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { removeTotp } from '../../../services/mfa/remove-totp.ts';
import { bearerOrSession, problemResponses } from '../../shared/problem-schema.ts';
import { selfContext } from './caller.ts';

export const removeTotpRoute = createRoute({
  method: 'delete',
  path: '/api/v1/me/mfa/totp',
  operationId: 'removeTotp',
  tags: ['Security'],
  summary: 'Remove my authenticator',
  description:
    'Removes the built-in authenticator (confirmed or pending), its recovery codes and the verifications it made. Removing ' +
    'a confirmed one needs multi-factor authentication whatever the role (401 insufficient_user_authentication otherwise); ' +
    'a lost device is reset by an administrator instead. Nothing to remove is 204 too. Audited as user.mfa_removed.',
  security: bearerOrSession,
  responses: {
    ...problemResponses(401, 403, 429),
    204: { description: 'Removed (or there was none)' },
  },
});

export function registerRemoveTotp(app: OpenAPIHono<AppEnv>) {
  app.openapi(removeTotpRoute, async (c) => {
    const { ctx, principal } = selfContext(c);
    await removeTotp({ ctx, input: { principal } });
    return c.body(null, 204);
  });
}
