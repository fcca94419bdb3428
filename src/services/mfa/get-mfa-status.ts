import { mfaRequired, mfaSatisfied, type MfaPolicy } from '../../auth/mfa.ts';
import type { Principal } from '../../auth/principal.ts';
import type { TenantContext } from '../container.ts';
import { callingUserId, loadOwnFactor } from './own-factor.ts';

export interface MfaStatus {
  /** Whether the caller's role needs MFA in the organization acted in. */
  required: boolean;
  /** Whether the credential of this request shows MFA there (identity provider or built-in factor). */
  satisfied: boolean;
  maxAgeSeconds: number | null;
  /** Whether the built-in authenticator counts there. */
  builtInTotp: boolean;
  totp: { status: 'none' | 'pending' | 'confirmed'; recoveryCodesLeft: number | null };
}

/** What a client needs to decide whether to prompt for enrolment or a code; reachable without MFA. */
export async function getMfaStatus({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { principal: Principal; policy: MfaPolicy };
}): Promise<MfaStatus> {
  const userId = callingUserId(ctx);
  const { principal, policy } = input;
  const own = await loadOwnFactor(ctx.services.db, userId);
  const requirement = {
    maxAgeSeconds: policy.maxAgeSeconds,
    builtInTotp: policy.builtInTotp,
    recognition: ctx.services.config.mfa.recognition,
  };
  const confirmed = own.totp?.confirmedAt != null;
  return {
    required: mfaRequired(principal.role, policy),
    satisfied:
      principal.authentication !== undefined && mfaSatisfied(principal.authentication, requirement, new Date()),
    maxAgeSeconds: policy.maxAgeSeconds,
    builtInTotp: policy.builtInTotp,
    totp: {
      status: own.totp ? (confirmed ? 'confirmed' : 'pending') : 'none',
      recoveryCodesLeft: confirmed ? own.totp!.recoveryCodesLeft : null,
    },
  };
}
