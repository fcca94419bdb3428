import { and, between, eq, type SQL } from 'drizzle-orm';
import { engagementDaily } from '../../db/schema/index.ts';
import type { DayWindow } from './day-window.ts';

/** The rows of one organization in a day window, optionally of one platform: every analytics read starts here. */
export function engagementIn(organizationId: string, window: DayWindow, platform: string | undefined): SQL | undefined {
  return and(
    eq(engagementDaily.organizationId, organizationId),
    between(engagementDaily.day, window.from, window.to),
    platform ? eq(engagementDaily.platform, platform) : undefined,
  );
}
