/**
 * The content list's URL for a set of filters, so the dashboard and others link to exactly the list they
 * describe. Kept apart from the screen (a lazy chunk) so linking to it does not load it.
 */
export interface ContentListFilters {
  status?: string;
  type?: string;
  platform?: string;
  compliance?: string;
  creator?: string;
  updatedFrom?: string;
  updatedTo?: string;
  sort?: string;
  order?: string;
}

export function contentListUrl(org: string, filters: ContentListFilters = {}): string {
  const query = new URLSearchParams(
    Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  return `/o/${org}/content${query ? `?${query}` : ''}`;
}

export const contentUrl = (org: string, id: string) => `/o/${org}/content/${id}`;
