import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { organizations } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';

/** The editorial rules an organization sets for its content. */
export interface EditorialPolicy {
  approvalThreshold: number;
  prohibitedPhrases: string[];
  requiredDisclaimer: string | null;
}

export async function loadEditorialPolicy(db: Executor, organizationId: string): Promise<EditorialPolicy> {
  const [row] = await db
    .select({
      approvalThreshold: organizations.approvalThreshold,
      prohibitedPhrases: organizations.prohibitedPhrases,
      requiredDisclaimer: organizations.requiredDisclaimer,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!row) throw notFound('organization');
  return row;
}
