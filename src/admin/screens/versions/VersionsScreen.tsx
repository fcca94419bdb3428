/**
 * /o/:org/content/:id/versions: the item's versions as a timeline (who, when, what changed), any two compared
 * side by side (?a=&b= in the URL, "changed fields only" as ?all=1 off), and restoring a version, which
 * writes a new draft that needs approval again (docs/decisions/0012).
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { Compare } from './Compare.tsx';
import { Timeline } from './Timeline.tsx';
import './versions.css';

const positive = (value: string | null) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export default function VersionsScreen() {
  const { org = '', id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const item = useQuery({
    queryKey: ['content', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/content/{id}', { params: { path: { id } } })),
  });

  const latest = item.data?.version ?? null;
  const b = positive(search.get('b')) ?? latest;
  const a = positive(search.get('a')) ?? (b && b > 1 ? b - 1 : b);
  const changedOnly = search.get('all') !== '1';

  const update = (changes: Record<string, string | null>) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null) next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true },
    );

  const title = item.data ? item.data.title : 'Versions';
  return (
    <div className="versions-screen stack">
      <PageHeader
        title={item.data ? `Versions of “${item.data.title}”` : 'Versions'}
        breadcrumb={
          <>
            <Link to={`/o/${org}/content`}>Content</Link> › <Link to={`/o/${org}/content/${id}`}>{title}</Link> ›
            Versions
          </>
        }
        actions={
          <Link className="btn btn-secondary" to={`/o/${org}/content/${id}`}>
            Back to the editor
          </Link>
        }
      />
      {item.isPending ? <Skeleton lines={6} label="Loading the item" /> : null}
      {item.isError ? <ProblemView error={item.error} onRetry={() => item.refetch()} /> : null}
      {item.data && a && b ? (
        <>
          <Timeline
            item={item.data}
            a={a}
            b={b}
            page={positive(search.get('page')) ?? 1}
            onPage={(p) => update({ page: String(p) })}
            onPick={(side, n) => update({ [side]: String(n) })}
            onRestored={(restoredFrom, newVersion) =>
              update({ a: String(restoredFrom), b: String(newVersion), page: null })
            }
          />
          <Compare
            id={id}
            a={a}
            b={b}
            changedOnly={changedOnly}
            onChangedOnly={(on) => update({ all: on ? null : '1' })}
            onSwap={() => update({ a: String(b), b: String(a) })}
          />
        </>
      ) : null}
    </div>
  );
}
