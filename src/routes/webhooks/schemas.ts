import { z } from '@hono/zod-openapi';
import { webhookDeliveryStatuses, webhookDisabledReasons } from '../../db/schema/index.ts';
import { webhookEventTypePatterns } from '../../services/webhooks/event-types.ts';
import type { DeliveryView } from '../../services/webhooks/list-webhook-deliveries.ts';
import { RETRY_DELAYS_SECONDS } from '../../services/webhooks/retry-schedule.ts';
import { webhookStatus, webhookStatuses, type WebhookView } from '../../services/webhooks/webhook-view.ts';
import { PaginationQuerySchema } from '../shared/params.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

/** Fields the server owns on a webhook; sending one is a 400 that names it. */
export const WEBHOOK_SERVER_OWNED_FIELDS = [
  'id',
  'organizationId',
  'secret',
  'signingSecrets',
  'status',
  'disabledReason',
  'disabledAt',
  'failingSince',
  'lastSuccessAt',
  'lastFailureAt',
  'createdBy',
  'createdAt',
  'updatedAt',
] as const;

const UrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .openapi({
    description:
      'Where deliveries are POSTed. https only, to a public host: IP literals, local names and hosts that ' +
      'resolve to loopback, private (RFC 1918), shared, link-local (cloud metadata) or unique-local IPv6 ' +
      'addresses are refused (422 webhook_url_forbidden), at creation and again before every attempt.',
    example: 'https://hooks.example.com/contentos',
  });

const EventTypesSchema = z
  .array(z.enum(webhookEventTypePatterns))
  .min(1)
  .max(50)
  .openapi({
    description:
      'Events to receive: content event types, `content.*` or `*`. `webhook.test` is always delivered on request.',
    example: ['content.published', 'content.unpublished'],
  });

const DescriptionSchema = z
  .string()
  .trim()
  .max(500)
  .nullable()
  .openapi({ description: 'What listens here, for the people managing it.', example: 'CDN purge on publish' });

export const CreateWebhookBodySchema = z
  .object({
    url: UrlSchema,
    eventTypes: EventTypesSchema,
    description: DescriptionSchema.optional(),
    active: z.boolean().optional().openapi({ description: 'Deliver events (default true).' }),
  })
  .strict()
  .openapi('CreateWebhook');

export const UpdateWebhookBodySchema = z
  .object({
    url: UrlSchema.optional(),
    eventTypes: EventTypesSchema.optional(),
    description: DescriptionSchema.optional(),
    active: z.boolean().optional().openapi({
      description: 'false turns deliveries off; true turns them back on, also after the platform disabled the webhook.',
    }),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field' })
  .openapi('UpdateWebhook');

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string().openapi({ example: 'https://hooks.example.com/contentos' }),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).openapi({ example: ['content.*'] }),
    active: z.boolean(),
    status: z.enum(webhookStatuses).openapi({
      description:
        'active: events are delivered. inactive: turned off by an admin. disabled: turned off by the platform, see disabledReason.',
    }),
    disabledReason: z.enum(webhookDisabledReasons).nullable().openapi({
      description:
        'endpoint_gone: the receiver answered 410 Gone. failing: every attempt failed for three days. Null otherwise.',
    }),
    disabledAt: dateTime('When it was turned off').nullable(),
    failingSince: dateTime('Start of the current run of failed attempts; null after a success').nullable(),
    lastSuccessAt: dateTime('Last successful attempt').nullable(),
    lastFailureAt: dateTime('Last failed attempt').nullable(),
    signingSecrets: z
      .array(
        z.object({
          id: z.uuid(),
          createdAt: dateTime('When it was created'),
          expiresAt: dateTime('Null for the current secret; when a rotated-out secret stops signing').nullable(),
        }),
      )
      .openapi({
        description:
          'The secrets that sign deliveries now (never their values): one, or two for 24 hours after a rotation.',
      }),
    createdBy: z.uuid().nullable(),
    createdAt: dateTime('When it was created'),
    updatedAt: dateTime('When it last changed'),
  })
  .openapi('Webhook');

const SecretSchema = z.string().openapi({
  description:
    'The signing secret (`whsec_` + base64 of 32 random bytes). Shown only in this response; verify deliveries with any Standard Webhooks library.',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2kGg1f8cj3U=',
});

export const CreatedWebhookSchema = WebhookSchema.extend({ secret: SecretSchema }).openapi('CreatedWebhook');

export const RotatedWebhookSecretSchema = WebhookSchema.extend({
  secret: SecretSchema,
  previousSecretExpiresAt: dateTime('Until then deliveries carry a signature with the previous secret as well'),
}).openapi('RotatedWebhookSecret');

export const WebhookDeliverySchema = z
  .object({
    id: z.uuid().openapi({ description: 'Also the `webhook-id` header: the same on every attempt and replay.' }),
    webhookId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string().openapi({ example: 'content.published' }),
    status: z.enum(webhookDeliveryStatuses).openapi({
      description:
        `pending: waiting for its next attempt. sending: an attempt is in flight. succeeded: a 2xx ` +
        `came back. dead_letter: ${RETRY_DELAYS_SECONDS.length + 1} attempts failed, the endpoint was ` +
        `gone (410) or turned off; replay it when the receiver is back.`,
    }),
    attemptCount: z.number().int(),
    nextAttemptAt: dateTime('While pending: when the next attempt is due').nullable(),
    lastAttemptAt: dateTime('When the last attempt was made').nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    succeededAt: dateTime('When a 2xx came back').nullable(),
    createdAt: dateTime('When the event reached this webhook'),
    payload: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The JSON body sent (and signed) on every attempt.' }),
    attempts: z.array(
      z.object({
        number: z.number().int(),
        attemptedAt: dateTime('When the request was sent'),
        durationMs: z.number().int(),
        statusCode: z.number().int().nullable().openapi({ description: 'Null when no response came back.' }),
        responseExcerpt: z.string().nullable().openapi({ description: 'The first 1 KiB of the response body.' }),
        error: z.string().nullable(),
        succeeded: z.boolean(),
      }),
    ),
  })
  .openapi('WebhookDelivery');

export const ListWebhookDeliveriesQuerySchema = PaginationQuerySchema.extend({
  status: z
    .enum(webhookDeliveryStatuses)
    .optional()
    .openapi({ description: 'Only deliveries in this state.', example: 'dead_letter' }),
  event: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'An event type (`content.published`) or an event id.', example: 'content.published' }),
}).strict();

export const DeliveryParamsSchema = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path' },
    description: 'The webhook',
    example: '3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
  }),
  deliveryId: z
    .uuid()
    .openapi({ param: { name: 'deliveryId', in: 'path' }, example: '0b6c3f0e-8a57-4c0f-9b8e-2f1d3c4b5a69' }),
});

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function toWebhookResource({ webhook: w, signingSecrets }: WebhookView): z.infer<typeof WebhookSchema> {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    eventTypes: w.eventTypes,
    active: w.active,
    status: webhookStatus(w),
    disabledReason: w.disabledReason,
    disabledAt: iso(w.disabledAt),
    failingSince: iso(w.failingSince),
    lastSuccessAt: iso(w.lastSuccessAt),
    lastFailureAt: iso(w.lastFailureAt),
    signingSecrets: signingSecrets.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      expiresAt: iso(s.expiresAt),
    })),
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function toDeliveryResource({ delivery: d, attempts }: DeliveryView): z.infer<typeof WebhookDeliverySchema> {
  return {
    id: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    succeededAt: iso(d.succeededAt),
    createdAt: d.createdAt.toISOString(),
    payload: JSON.parse(d.payload) as Record<string, unknown>,
    attempts: attempts.map((a) => ({
      number: a.number,
      attemptedAt: a.attemptedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
      succeeded: a.succeeded,
    })),
  };
}
