/**
 * Every version, newest first: what produced it, who, when (with the zone), the message, and two radio
 * columns to pick the versions compared (left = a, right = b). Restore writes a new draft from a version.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { actionLabel } from '../workflow/WorkflowHistory.tsx';
import { usePeople } from './people.ts';

const LIMIT = 25;

interface Props {
  item: Schemas['Content'];
  a: number;
  b: number;
  page: number;
  onPage: (page: number) => void;
  onPick: (side: 'a' | 'b', version: number) => void;
  onRestored: (from: number, version: number) => void;
}

export function Timeline({ item, a, b, page, onPage, onPick, onRestored }: Props) {
  const { can, userId } = useSession();
  const who = usePeople();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [restoring, setRestoring] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const versions = useQuery({
    queryKey: ['versions', item.id, 'page', page, item.version],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/content/{id}/versions', {
          params: { path: { id: item.id }, query: { page, limit: LIMIT } },
        }),
      ),
  });

  const mayEdit = can('content.update') || (item.creatorId === userId && can('content.update_own'));
  const restoreReason = (n: number) => {
    if (!mayEdit) return 'Your role cannot edit this item, so it cannot restore a version.';
    if (item.status === 'archived') return 'Archived: restore the item from the archive first.';
    if (n === item.version) return 'This is the current version.';
    return null;
  };

  const restore = async () => {
    if (restoring === null) return;
    setBusy(true);
    setError(null);
    try {
      const restored = unwrap(
        await api.POST('/api/v1/content/{id}/versions/{n}/restore', {
          params: { path: { id: item.id, n: restoring }, header: { 'if-match': `"${item.version}"` } },
          body: message.trim() ? { message: message.trim() } : {},
        }),
      );
      queryClient.setQueryData(['content', item.id], restored);
      void queryClient.invalidateQueries({ queryKey: ['versions', item.id] });
      // The editor caches the item under ['content', org, id]: it must not show the text from before the restore.
      void queryClient.invalidateQueries({ queryKey: ['content'] });
      toast(`Version ${restoring} restored as version ${restored.version}, a draft`);
      onRestored(restoring, restored.version);
      setRestoring(null);
      setMessage('');
    } catch (e) {
      setRestoring(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card versions-timeline stack" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="section-title">
        Timeline
      </h2>
      {error ? <ProblemView error={error} compact /> : null}
      <div className="timeline-scroll">
        <table className="data">
          <thead>
            <tr>
              <th scope="col" title="Shown on the left">
                Left
              </th>
              <th scope="col" title="Shown on the right">
                Right
              </th>
              <th scope="col">Version</th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {versions.isPending ? <TableSkeleton rows={5} columns={7} /> : null}
          {versions.data ? (
            <tbody>
              {versions.data.data.map((v, i, all) => (
                <tr key={v.version} className={v.version === a || v.version === b ? 'picked' : undefined}>
                  <td>
                    <input
                      type="radio"
                      name="version-a"
                      aria-label={`Version ${v.version} on the left`}
                      checked={v.version === a}
                      onChange={() => onPick('a', v.version)}
                    />
                  </td>
                  <td>
                    <input
                      type="radio"
                      name="version-b"
                      aria-label={`Version ${v.version} on the right`}
                      checked={v.version === b}
                      onChange={() => onPick('b', v.version)}
                    />
                  </td>
                  <td>
                    <strong>v{v.version}</strong>
                    {v.version === item.version ? <span className="muted small"> current</span> : null}
                    {v.published ? (
                      <>
                        {' '}
                        <Pill value="published" label="Live" />
                      </>
                    ) : null}
                  </td>
                  <td>
                    <div>
                      {actionLabel(v.action)}
                      {v.status ? (
                        <>
                          {' → '}
                          <Pill value={v.status} />
                        </>
                      ) : null}
                    </div>
                    <TitleChange now={v} before={all[i + 1]} />
                    {v.message ? <div className="muted small version-message">“{v.message}”</div> : null}
                  </td>
                  <td className="small">{who(v.author)}</td>
                  <td className="small">
                    <Time iso={v.createdAt} />
                  </td>
                  <td>
                    <Button
                      className="btn-small"
                      aria-label={`Restore version ${v.version}`}
                      disabledReason={restoreReason(v.version)}
                      onClick={() => setRestoring(v.version)}
                    >
                      Restore
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          ) : null}
        </table>
      </div>
      {versions.isError ? <ProblemView error={versions.error} onRetry={() => versions.refetch()} /> : null}
      {versions.data && versions.data.totalPages > 1 ? (
        <Pagination
          page={page}
          totalPages={versions.data.totalPages}
          total={versions.data.total}
          onPage={onPage}
          noun="versions"
        />
      ) : null}
      <ConfirmDialog
        open={restoring !== null}
        title={`Restore version ${restoring ?? ''}`}
        consequence={
          <>
            A new version {item.version + 1} is written with the title, body, type and platforms of version {restoring}.
            No version is changed or removed. The item becomes a <strong>draft</strong>: it is re-scored, compliance
            goes back to pending, and it needs review and approval again before it can be published.
            {item.publishedVersion ? ` The live version ${item.publishedVersion} stays live until then.` : ''}
            {item.scheduledAt ? ' The scheduled publication will fail, since the text changed.' : ''}
          </>
        }
        confirmLabel="Restore as new draft"
        busy={busy}
        onConfirm={restore}
        onCancel={() => setRestoring(null)}
      >
        <label className="field">
          <span>
            Why <span className="hint">(optional)</span>
          </span>
          <input maxLength={500} value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
      </ConfirmDialog>
    </section>
  );
}

/** The one change a summary row can show without a diff: a new title (the compare view has the rest). */
function TitleChange({
  now,
  before,
}: {
  now: Schemas['ContentVersionSummary'];
  before: Schemas['ContentVersionSummary'] | undefined;
}) {
  if (!before || before.title === now.title || now.title === null) return null;
  return <div className="small">Title now “{now.title}”</div>;
}
