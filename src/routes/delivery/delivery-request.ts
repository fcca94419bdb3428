import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import type { ServiceContext } from '../../services/container.ts';
import { resolveDeliveryAccess, type DeliveryAccess } from '../../services/delivery/resolve-delivery-access.ts';
import { serviceContext } from '../../middleware/request-context.ts';

/** The service context of a delivery request and who it reads for (404 for an unknown slug, 401 without access). */
export async function deliveryRequest(
  c: Context<AppEnv>,
  slug: string,
  options: { requireToken: boolean },
): Promise<{ ctx: ServiceContext; access: DeliveryAccess }> {
  const ctx = serviceContext(c);
  const access = await resolveDeliveryAccess({
    ctx,
    input: { slug, authorization: c.req.header('authorization'), requireToken: options.requireToken },
  });
  c.set('organizationId', access.organizationId);
  return { ctx, access };
}
