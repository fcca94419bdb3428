/**
 * The content list's state lives in the URL (filters, sort, page), so a view can be linked, reloaded and
 * shared. These read it into the API's query and write changes back.
 */
import type { operations } from '../../api/schema.gen.ts';

export type ListQuery = NonNullable<operations['listContent']['parameters']['query']>;
export type SortField = NonNullable<ListQuery['sort']>;
export type Status = NonNullable<ListQuery['status']>;
export type ContentType = NonNullable<ListQuery['type']>;
export type Compliance = NonNullable<ListQuery['compliance']>;

export const statuses: Status[] = ['draft', 'pending_approval', 'approved', 'published', 'archived'];
export const types: ContentType[] = ['market_update', 'education', 'news_analysis', 'custom'];
export const complianceValues: Compliance[] = ['pending', 'approved', 'flagged', 'rejected'];
export const typeLabel = (type: string) =>
  ({ market_update: 'Market update', education: 'Education', news_analysis: 'News analysis', custom: 'Custom' })[
    type
  ] ?? type;
export const complianceLabel = (value: string) =>
  ({ pending: 'Pending', approved: 'Compliant', flagged: 'Flagged', rejected: 'Rejected' })[value] ?? value;

export const PAGE_SIZES = [20, 50, 100] as const;

/** The filters a person sets; dates are calendar days (YYYY-MM-DD) in the browser's time zone. */
export const filterKeys = ['status', 'type', 'platform', 'compliance', 'creator', 'from', 'to'] as const;
export type FilterKey = (typeof filterKeys)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ListState {
  filters: Partial<Record<FilterKey, string>>;
  sort: SortField | undefined;
  order: 'asc' | 'desc' | undefined;
  page: number;
  limit: number;
}

export function readState(params: URLSearchParams): ListState {
  const filters: ListState['filters'] = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const page = Number(params.get('page') ?? 1);
  const limit = Number(params.get('limit') ?? 20);
  const order = params.get('order');
  return {
    filters,
    sort: (params.get('sort') as SortField | null) ?? undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : 20,
  };
}

/** The start (or end) of a local calendar day as an instant, or undefined for anything else. */
export function dayBound(day: string | undefined, end: boolean): string | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const at = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The API query for a state. Unknown values pass through: the API's 400 names them. */
export function toQuery(state: ListState): ListQuery {
  const { status, type, platform, compliance, creator, from, to } = state.filters;
  return {
    page: state.page,
    limit: state.limit,
    ...(status ? { status: status as Status } : {}),
    ...(type ? { type: type as ContentType } : {}),
    ...(platform ? { platform } : {}),
    ...(compliance ? { compliance: compliance as Compliance } : {}),
    ...(creator ? { creator } : {}),
    ...(from ? { updatedFrom: dayBound(from, false) ?? from } : {}),
    ...(to ? { updatedTo: dayBound(to, true) ?? to } : {}),
    ...(state.sort ? { sort: state.sort } : {}),
    ...(state.order ? { order: state.order } : {}),
  };
}

export const hasFilters = (state: ListState) => Object.keys(state.filters).length > 0;
