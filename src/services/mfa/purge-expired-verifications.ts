import { sql } from 'drizzle-orm';
import { mfaVerifications } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';

/** Cron: a verification outlives its credential by nothing (it is ignored once expired); the rows are dead weight. */
export async function purgeExpiredMfaVerifications({ ctx }: { ctx: ServiceContext }): Promise<number> {
  const deleted = await ctx.services.db
    .delete(mfaVerifications)
    .where(sql`${mfaVerifications.expiresAt} < now()`)
    .returning({ digest: mfaVerifications.credentialDigest });
  return deleted.length;
}
