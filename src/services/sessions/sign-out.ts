import { actorOf } from '../../auth/principal.ts';
import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext, TenantContext } from '../container.ts';
import {
  assertAuthenticationAllowed,
  isAuthenticationFailure,
  recordAuthenticationFailure,
} from '../rate-limit/auth-failures.ts';
import { resolveSessionPrincipal } from './resolve-session.ts';
import { ownSession, revokeSessions } from './revoke-sessions.ts';

/**
 * Ends the cookie's session, audited as `auth.sign_out` by its user. A session that is already over (or
 * unknown) leaves nothing to do: signing out always succeeds from the browser's side. The cookie is looked up
 * like any credential, so it passes the failed-authentication limit of its address first, and a cookie that
 * names no live session counts against it (docs/decisions/0029): random cookies cannot buy lookups here either.
 */
export async function signOut({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { secret: string; client: TenantContext['client']; address: string };
}): Promise<void> {
  await assertAuthenticationAllowed({ ctx, input: { address: input.address } });
  let resolved: Awaited<ReturnType<typeof resolveSessionPrincipal>>;
  try {
    resolved = await resolveSessionPrincipal({ ctx, input: { secret: input.secret } });
  } catch (err) {
    if (isAuthenticationFailure(err)) {
      await recordAuthenticationFailure({ ctx, input: { address: input.address } });
      return;
    }
    if (err instanceof DomainError && err.kind === 'forbidden') return;
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
