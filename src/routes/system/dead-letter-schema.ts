import { z } from '@hono/zod-openapi';
import { deadLetterReasons, deadLetterResolutions, WHOLE_MESSAGE, type DeadLetter } from '../../db/schema/index.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

export const DeadLetterSchema = z
  .object({
    id: z.uuid(),
    eventId: z.string().openapi({
      description: 'The event envelope\u2019s id (`message:<queue message id>` when the message had none).',
    }),
    eventType: z.string().nullable().openapi({ example: 'content.unpublished' }),
    organizationId: z
      .uuid()
      .nullable()
      .openapi({ description: 'The tenant the event belongs to; null for platform events.' }),
    effect: z.string().openapi({
      description: `The effect that failed (\`delivery-cache\`, \`webhooks\`, …), or \`${WHOLE_MESSAGE}\` for a message that could not be parsed or routed.`,
      example: 'delivery-cache',
    }),
    reason: z.enum(deadLetterReasons).openapi({
      description:
        '`effect_failed`: the effect kept failing; `malformed`: the message does not match the event catalogue (waits for a ' +
        'person); `unknown_type`: no consumer handles the type yet (re-driven until one does).',
    }),
    envelope: z.unknown().openapi({ description: 'The message body exactly as the queue delivered it.' }),
    lastError: z.string(),
    attempts: z.number().int().openapi({ description: 'Re-drives and replays since the queue gave up.' }),
    firstFailedAt: dateTime('When the queue gave up on it.'),
    lastFailedAt: dateTime('When it last failed.'),
    nextAttemptAt: dateTime(
      'When the cron tries it next; null once resolved, or while it waits for a person.',
    ).nullable(),
    resolvedAt: dateTime('When its effect finally ran.').nullable(),
    resolution: z
      .enum(deadLetterResolutions)
      .nullable()
      .openapi({ description: 'Re-driven by the cron, or replayed.' }),
  })
  .openapi('DeadLetter');

export type DeadLetterResource = z.infer<typeof DeadLetterSchema>;

export function toDeadLetterResource(row: DeadLetter): DeadLetterResource {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    organizationId: row.organizationId,
    effect: row.effect,
    reason: row.reason,
    envelope: row.envelope,
    lastError: row.lastError,
    attempts: row.attempts,
    firstFailedAt: row.firstFailedAt.toISOString(),
    lastFailedAt: row.lastFailedAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolution: row.resolution,
  };
}
