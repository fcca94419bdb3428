import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.ts';
import type { Principal } from '../../../auth/principal.ts';
import { DomainError } from '../../../lib/errors.ts';
import type { TenantContext } from '../../../services/container.ts';
import type { Credential } from '../../../services/mfa/own-factor.ts';
import { tenantContext } from '../../shared/guard.ts';

/**
 * A caller's own factor is theirs wherever they act: its audit entries land in their own organization,
 * also when a super_admin acts in another one through X-Organization-Id.
 */
export function selfContext(c: Context<AppEnv>): { ctx: TenantContext; principal: Principal } {
  const ctx = tenantContext(c);
  const principal = c.get('principal')!;
  return { ctx: { ...ctx, organizationId: principal.homeOrganizationId }, principal };
}

/** The credential of this request, which a verification is remembered for; API keys have none to verify. */
export function credentialOf(principal: Principal): Credential {
  if (principal.type !== 'user' || !principal.authentication) {
    throw new DomainError('forbidden', 'Only a user has a second factor; API keys are never asked for one.', {
      code: 'mfa_user_required',
    });
  }
  return principal.authentication;
}
