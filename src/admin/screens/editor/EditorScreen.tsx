/**
 * The content editor (/o/:org/content/new and /o/:org/content/:id): title, type, platforms and the Markdown
 * body (TipTap, with a source toggle), a live preview as delivery consumers render it, and a sidebar with the
 * API's own dry-run score, the workflow panel and the versions link. Saves are explicit (Save, Ctrl/Cmd+S),
 * carry If-Match, and a conflict shows what the other person saved. Unsaved edits survive reloads
 * (sessionStorage) and leaving asks first. See docs/decisions/0039-editor-preview-and-scoring.md.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { EditorForm } from './EditorForm.tsx';
import './editor.css';

export const contentQueryKey = (org: string, id: string) => ['content', org, id] as const;

export default function EditorScreen() {
  const { org = '', id } = useParams();
  if (!id) return <EditorForm key="new" org={org} initial={null} />;
  return <ExistingItem key={id} org={org} id={id} />;
}

function ExistingItem({ org, id }: { org: string; id: string }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: contentQueryKey(org, id),
    queryFn: async () => unwrap(await api.GET('/api/v1/content/{id}', { params: { path: { id } } })),
    // The form owns the text once loaded: a background refetch must not replace what someone is typing.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  if (query.isPending)
    return (
      <>
        <PageHeader title="Loading…" />
        <Skeleton lines={8} label="Loading the item" />
      </>
    );
  if (query.isError)
    return (
      <>
        <PageHeader title="Content" />
        <ProblemView error={query.error} onRetry={() => query.refetch()} />
      </>
    );
  return (
    <EditorForm
      org={org}
      initial={query.data}
      onSaved={(item) => queryClient.setQueryData(contentQueryKey(org, id), item)}
    />
  );
}
