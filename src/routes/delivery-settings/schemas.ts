import { z } from '@hono/zod-openapi';
import type { DeliverySettings } from '../../services/delivery-settings/delivery-settings.ts';

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
  })
  .openapi('DeliverySettings');

export const UpdateDeliverySettingsBodySchema = z
  .object({ publicAccess: z.boolean().openapi({ description: 'Serve published content without a delivery token.' }) })
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
  };
}
