import { and, eq, isNotNull, isNull, lte, notInArray, type SQL } from 'drizzle-orm';
import { content } from '../../db/schema/index.ts';

/**
 * Still on the schedule: it has a time and has neither gone out nor left circulation. Deliberately not
 * "approved only": an item edited back to draft after scheduling keeps its time, so at fire time it fails
 * loudly ("content changed since scheduling") instead of quietly dropping off the schedule.
 */
export function stillScheduled(): SQL {
  return and(isNotNull(content.scheduledAt), notInArray(content.status, ['published', 'archived']))!;
}

/**
 * Due by `cutoff` and not yet tried: a failed item keeps its time (so GET /schedule can show it) but is not
 * retried every minute; scheduling it again clears the failure. `organizationId` narrows a run to one tenant.
 */
export function dueBy(cutoff: Date, organizationId?: string): SQL {
  return and(
    stillScheduled(),
    isNull(content.scheduleFailedAt),
    lte(content.scheduledAt, cutoff),
    organizationId ? eq(content.organizationId, organizationId) : undefined,
  )!;
}
