import type { EngagementEvent } from '../../events/engagement.ts';
import { metricOf, zeroCounts, type EngagementCounts } from './engagement-counts.ts';
import { utcDay } from './day-window.ts';

/** Why an event was not counted; stored in engagement_dropped.reason and shown by the analytics summary. */
export const dropReasons = ['unknown_content', 'not_published'] as const;
export type DropReason = (typeof dropReasons)[number];

/** Per content id of the batch's organization: whether readers can see it (published_version is not null). */
export type ContentLookup = ReadonlyMap<string, { published: boolean }>;

export interface DailyTally extends EngagementCounts {
  contentId: string;
  day: string;
  platform: string;
}

export interface DroppedTally {
  day: string;
  reason: DropReason;
  count: number;
}

export interface EngagementTally {
  daily: DailyTally[];
  dropped: DroppedTally[];
  counted: number;
  droppedByReason: Record<DropReason, number>;
}

/**
 * Sorts a batch into what is counted, per (content, UTC day of occurredAt, platform), and what is dropped,
 * per (day, reason). An id missing from `lookup` is unknown to the batch's organization, which includes
 * another organization's content: it is never counted, whoever's it is.
 */
export function tallyEngagement(events: readonly EngagementEvent[], lookup: ContentLookup): EngagementTally {
  const daily = new Map<string, DailyTally>();
  const dropped = new Map<string, DroppedTally>();
  const droppedByReason: Record<DropReason, number> = { unknown_content: 0, not_published: 0 };
  let counted = 0;
  for (const event of events) {
    const day = utcDay(new Date(event.occurredAt));
    const item = lookup.get(event.contentId);
    const reason: DropReason | null = !item ? 'unknown_content' : item.published ? null : 'not_published';
    if (reason) {
      const key = `${day}|${reason}`;
      const row = dropped.get(key) ?? { day, reason, count: 0 };
      row.count++;
      dropped.set(key, row);
      droppedByReason[reason]++;
      continue;
    }
    const key = `${event.contentId}|${day}|${event.platform}`;
    const row = daily.get(key) ?? { contentId: event.contentId, day, platform: event.platform, ...zeroCounts() };
    row[metricOf[event.type]]++;
    daily.set(key, row);
    counted++;
  }
  return { daily: [...daily.values()], dropped: [...dropped.values()], counted, droppedByReason };
}
