/**
 * The JSON body of a delivery, in the Standard Webhooks shape (`type`, `timestamp`, `data`) plus the event
 * id and the organization it belongs to. Built once per delivery and stored, so every retry sends (and
 * signs) exactly the same bytes.
 */
export function webhookPayload(event: {
  id: string;
  type: string;
  organizationId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt,
    organizationId: event.organizationId,
    data: event.data,
  });
}
