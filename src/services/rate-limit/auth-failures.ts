import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';
import { checkRateLimit, peekRateLimit, type RateLimitOutcome, type RateLimitPolicy } from './check-rate-limit.ts';

/**
 * Failed authentications per client address, across the management and the delivery API. Only failures
 * are counted, after the fact; the check comes first, before any credential is looked up, so an address
 * that has used its budget costs no database query however many random keys or tokens it sends.
 */
export function authFailurePolicy(ctx: ServiceContext): RateLimitPolicy {
  const { limit, windowSeconds } = ctx.services.config.rateLimits.authFailures;
  return { name: 'auth-failures', limit, windowSeconds };
}

const namespaceOf = (ctx: ServiceContext) => ctx.services.config.rateLimits.prefix;

/** 429 when this address has failed authentication too often lately, whatever credential it sends now. */
export async function assertAuthenticationAllowed({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { address: string };
}): Promise<RateLimitOutcome> {
  const policy = authFailurePolicy(ctx);
  const outcome = await peekRateLimit({
    ctx,
    input: { policy, identifier: input.address, namespace: namespaceOf(ctx) },
  });
  if (!outcome.allowed) {
    throw new DomainError(
      'rate_limited',
      `Too many failed authentications from this address: ${policy.limit} per ${policy.windowSeconds} s. ` +
        `Credentials from it are refused unchecked for ${outcome.resetSeconds} s.`,
      { code: 'too_many_authentication_failures', retryAfterSeconds: Math.max(1, outcome.resetSeconds) },
    );
  }
  return outcome;
}

/** Counts one failed authentication from this address (a successful one never counts). */
export async function recordAuthenticationFailure({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { address: string };
}): Promise<void> {
  await checkRateLimit({
    ctx,
    input: { policy: authFailurePolicy(ctx), identifier: input.address, namespace: namespaceOf(ctx) },
  });
}

/** Whether an error means the credential presented was not accepted (401), as opposed to any other refusal. */
export const isAuthenticationFailure = (err: unknown): boolean =>
  err instanceof DomainError && err.kind === 'unauthenticated';
