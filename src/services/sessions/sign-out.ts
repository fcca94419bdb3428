import { actorOf } from '../../auth/principal.ts';
import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext, TenantContext } from '../container.ts';
import { resolveSessionPrincipal } from './resolve-session.ts';
import { ownSession, revokeSessions } from './revoke-sessions.ts';

/**
 * Ends the cookie's session, audited as `auth.sign_out` by its user. A session that is already over (or
 * unknown) leaves nothing to do: signing out always succeeds from the browser's side.
 */
export async function signOut({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { secret: string; client: TenantContext['client'] };
}): Promise<void> {
  let resolved: Awaited<ReturnType<typeof resolveSessionPrincipal>>;
  try {
    resolved = await resolveSessionPrincipal({ ctx, input: { secret: input.secret } });
  } catch (err) {
    if (err instanceof DomainError && (err.kind === 'unauthenticated' || err.kind === 'forbidden')) return;
    throw err;
  }
  const { principal, session } = resolved;
  const self: TenantContext = {
    ...ctx,
    actor: actorOf(principal),
    organizationId: principal.homeOrganizationId,
    client: input.client,
  };
  await revokeSessions(ctx.services.db, self, ownSession(principal.userId, session.id), 'sign_out', 'auth.sign_out');
}
