/** The dry-run score of the text as typed: debounced, the previous result kept on screen while a new one loads. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import type { EditorFields } from './editor-fields.ts';

const DEBOUNCE_MS = 600;

export function useDraftScore(org: string, fields: EditorFields, enabled: boolean) {
  const [debounced, setDebounced] = useState(fields);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(fields), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [fields]);
  const { type, title, body } = debounced;
  const query = useQuery({
    queryKey: ['content-score', org, type, title, body],
    queryFn: async ({ signal }) =>
      unwrap(await api.POST('/api/v1/content/score', { body: { type, title: title.slice(0, 200), body }, signal })),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: 1,
  });
  const pending =
    debounced.type !== fields.type ||
    debounced.title !== fields.title ||
    debounced.body !== fields.body ||
    query.isFetching;
  return { ...query, stale: pending };
}
