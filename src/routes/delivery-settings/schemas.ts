import { z } from '@hono/zod-openapi';
import {
  DELIVERY_RATE_LIMIT_BOUNDS,
  type DeliverySettings,
} from '../../services/delivery-settings/delivery-settings.ts';

const limit = (bounds: { min: number; max: number }, description: string) =>
  z
    .number()
    .int()
    .min(bounds.min)
    .max(bounds.max)
    .nullable()
    .openapi({ description: `${description} null: the platform default.` });

const DeliveryRateLimitsSchema = z
  .object({
    requestsPerIpPerMinute: limit(
      DELIVERY_RATE_LIMIT_BOUNDS.requestsPerIpPerMinute,
      "Delivery API requests per minute from one client address to this organization's content.",
    ),
    requestsPerTokenPerMinute: limit(
      DELIVERY_RATE_LIMIT_BOUNDS.requestsPerTokenPerMinute,
      'Delivery API requests per minute with one delivery token (without a token, per client address).',
    ),
  })
  .strict()
  .openapi('DeliveryRateLimits', {
    description:
      "The organization's own delivery API limits. They apply once the edge knows the organization (within a queue delivery of a change); " +
      'unknown organizations and requests before that are counted under the platform defaults.',
  });

export const DeliverySettingsSchema = z
  .object({
    organizationId: z.uuid(),
    slug: z.string().openapi({ example: 'demo' }),
    publicAccess: z
      .boolean()
      .openapi({ description: 'When true, the delivery API serves published content without a delivery token.' }),
    deliveryBaseUrl: z
      .string()
      .openapi({ description: "Where this organization's published content is read.", example: '/delivery/v1/demo' }),
    rateLimits: DeliveryRateLimitsSchema,
  })
  .openapi('DeliverySettings');

export const UpdateDeliverySettingsBodySchema = z
  .object({
    publicAccess: z.boolean().openapi({ description: 'Serve published content without a delivery token.' }),
    rateLimits: DeliveryRateLimitsSchema.optional().openapi({
      description: 'Replaces both limits when present (null: the platform default); left as they are when omitted.',
    }),
  })
  .strict()
  .openapi('UpdateDeliverySettings');

export function toDeliverySettingsResource(
  organizationId: string,
  settings: DeliverySettings,
): z.infer<typeof DeliverySettingsSchema> {
  return {
    organizationId,
    slug: settings.slug,
    publicAccess: settings.publicAccess,
    deliveryBaseUrl: `/delivery/v1/${settings.slug}`,
    rateLimits: settings.rateLimits,
  };
}
