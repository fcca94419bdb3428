import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';
import { webhookEventTypePatterns } from './event-types.ts';
import { checkWebhookUrl, urlPolicy } from './url-guard.ts';

/** Bounds the fan-out of one event (and the work a single organization can queue). */
export const MAX_WEBHOOKS_PER_ORGANIZATION = 50;

export const webhookRuleViolation = (code: ErrorCodeOf<'rule_violation'>, message: string, path: string) =>
  new DomainError('rule_violation', message, { code, fields: [{ path, message, code }] });

/**
 * Creation and URL changes: a URL the SSRF guard refuses is a 422 on body.url (`webhook_url_forbidden`,
 * or `webhook_url_unresolvable` for a name without addresses); a resolver that cannot answer is a 503,
 * never a silent pass.
 */
export async function assertWebhookUrlAllowed(ctx: ServiceContext, url: string): Promise<void> {
  const verdict = await checkWebhookUrl(url, urlPolicy(ctx.services.config));
  if (verdict.ok) return;
  if (verdict.kind === 'resolver')
    throw unavailable('DNS resolution of the webhook host', { code: 'webhook_url_check_unavailable' });
  const code = verdict.kind === 'unresolvable' ? 'webhook_url_unresolvable' : 'webhook_url_forbidden';
  throw webhookRuleViolation(code, `The webhook URL is not allowed: ${verdict.reason}.`, 'body.url');
}

/** Known patterns only, each once, in the order given. */
export function normalizeEventTypes(eventTypes: readonly string[]): string[] {
  const unknown = eventTypes.filter((type) => !(webhookEventTypePatterns as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new DomainError('validation', `Unknown event types: ${unknown.join(', ')}.`, {
      code: 'validation_failed',
      fields: unknown.map((type) => ({
        path: 'body.eventTypes',
        message: `unknown event type "${type}"`,
        code: 'invalid_value',
      })),
    });
  }
  return [...new Set(eventTypes)];
}
