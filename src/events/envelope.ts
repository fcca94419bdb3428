import { z } from 'zod';

/**
 * Every queue message is one envelope: the type routes it to a handler, the id makes handling
 * idempotent under at-least-once delivery.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/),
  organizationId: z.uuid().nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export function newEvent(
  type: string,
  organizationId: string | null,
  data: Record<string, unknown>,
  now = new Date(),
): EventEnvelope {
  return { id: crypto.randomUUID(), type, organizationId, occurredAt: now.toISOString(), data };
}
