import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listOwnSessions } from '../../services/sessions/list-sessions.ts';
import { tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SessionSchema, toSessionResource } from './session-schema.ts';

export const listMySessionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/sessions',
  operationId: 'listMySessions',
  tags: ['Sign-in'],
  summary: 'My browser sessions',
  description:
    "The caller's live browser sessions, newest first, `current` marking the one this request used. Any user " +
    '(token or session); an API key has no sessions (403 user_principal_required).',
  security: bearerOrSession,
  responses: {
    ...problemResponses(401, 403, 429),
    200: {
      description: 'The sessions',
      content: { 'application/json': { schema: z.object({ data: z.array(SessionSchema) }).openapi('SessionList') } },
    },
  },
});

export function registerListMySessions(app: OpenAPIHono<AppEnv>) {
  app.openapi(listMySessionsRoute, async (c) => {
    const sessions = await listOwnSessions({ ctx: tenantContext(c) });
    const current = c.get('session')?.id;
    return c.json({ data: sessions.map((s) => toSessionResource(s, current)) }, 200);
  });
}
