import { contentEventTypes } from '../../events/content.ts';

/** Sent by POST /api/v1/webhooks/{id}/test, whatever the webhook subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What a webhook may subscribe to: the outbox's content events, one by one or by wildcard. */
export const webhookEventTypePatterns = ['*', 'content.*', ...contentEventTypes] as const;
export type WebhookEventTypePattern = (typeof webhookEventTypePatterns)[number];

export function matchesEventTypes(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}
