import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { assertUserActor } from './list-sessions.ts';
import { ownSession, revokeSessions } from './revoke-sessions.ts';

const SESSION_ID = /^[0-9a-f]{64}$/;

/**
 * Ends one of the caller's own sessions (a lost laptop, a shared computer). Another user's session, an
 * unknown id and one already ended are all 404: nothing tells a caller whether someone else's id exists.
 */
export async function revokeOwnSession({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<void> {
  const userId = assertUserActor(ctx);
  if (!SESSION_ID.test(input.id)) throw notFound('session');
  const ended = await revokeSessions(ctx.services.db, ctx, ownSession(userId, input.id), 'revoked');
  if (ended === 0) throw notFound('session');
}
