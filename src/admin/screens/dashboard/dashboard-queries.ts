/** The dashboard's reads. Keys start with "content" where content changes should refresh them (invalidate ["content"]). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { operations } from '../../api/schema.gen.ts';

export const useContentCounts = () =>
  useQuery({ queryKey: ['content', 'counts'], queryFn: () => api.GET('/api/v1/content/counts').then(unwrap) });

export type ContentListQuery = NonNullable<operations['listContent']['parameters']['query']>;

export const useContentPage = (query: ContentListQuery, enabled = true) =>
  useQuery({
    queryKey: ['content', query],
    queryFn: () => api.GET('/api/v1/content', { params: { query } }).then(unwrap),
    enabled,
  });
