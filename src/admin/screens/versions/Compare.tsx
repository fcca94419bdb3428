/**
 * Two versions side by side, field by field: the API's diff (GET …/versions/{a}/diff/{b}) for what changed,
 * the two snapshots for the rest when "Changed fields only" is off.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { BodyDiff } from './BodyDiff.tsx';

/** The fields people care about, in reading order; any other changed field follows. */
const fields: { key: string; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'type', label: 'Type' },
  { key: 'platforms', label: 'Platforms' },
  { key: 'status', label: 'Status' },
  { key: 'complianceStatus', label: 'Compliance' },
  { key: 'complianceNote', label: 'Compliance note' },
  { key: 'qualityScore', label: 'Quality score' },
  { key: 'scheduledAt', label: 'Scheduled for' },
  { key: 'publishedAt', label: 'First published' },
  { key: 'publishedVersion', label: 'Live version' },
  { key: 'body', label: 'Body' },
];

const dateFields = new Set(['scheduledAt', 'publishedAt', 'scheduleFailedAt', 'createdAt', 'updatedAt']);

function show(key: string, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (dateFields.has(key) && typeof value === 'string') return <Time iso={value} />;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return String(value);
}

const labelOf = (key: string) => fields.find((f) => f.key === key)?.label ?? key;

interface Props {
  id: string;
  a: number;
  b: number;
  changedOnly: boolean;
  onChangedOnly: (on: boolean) => void;
  onSwap: () => void;
}

export function Compare({ id, a, b, changedOnly, onChangedOnly, onSwap }: Props) {
  const diff = useQuery({
    queryKey: ['versions', id, 'diff', a, b],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/content/{id}/versions/{a}/diff/{b}', { params: { path: { id, a, b } } })),
  });
  const snapshot = (n: number) => ({
    queryKey: ['versions', id, 'snapshot', n],
    enabled: !changedOnly,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => unwrap(await api.GET('/api/v1/content/{id}/versions/{n}', { params: { path: { id, n } } })),
  });
  const left = useQuery(snapshot(a));
  const right = useQuery(snapshot(b));

  const changes = diff.data?.changes ?? [];
  const changed = new Map(changes.map((c) => [c.field, c]));
  const keys = changedOnly
    ? [
        ...fields.map((f) => f.key).filter((k) => changed.has(k)),
        ...changes.map((c) => c.field).filter((k) => !fields.some((f) => f.key === k)),
      ]
    : [...fields.map((f) => f.key), ...changes.map((c) => c.field).filter((k) => !fields.some((f) => f.key === k))];
  const loading = diff.isPending || (!changedOnly && (left.isPending || right.isPending));
  const failure = diff.error ?? (!changedOnly ? (left.error ?? right.error) : null);

  return (
    <section className="card stack" aria-labelledby="compare-heading">
      <div className="row compare-head">
        <h2 id="compare-heading" className="section-title">
          Comparing version {a} (left) with version {b} (right)
        </h2>
        <label className="row small">
          <input type="checkbox" checked={changedOnly} onChange={(e) => onChangedOnly(e.target.checked)} />
          Changed fields only
        </label>
        <Button
          className="btn-small"
          onClick={onSwap}
          disabledReason={a === b ? 'Both sides show the same version.' : null}
        >
          Swap sides
        </Button>
      </div>
      {a === b ? <p className="notice small">Both sides show version {a}: pick another version on one side.</p> : null}
      {loading ? <Skeleton lines={6} label="Loading the comparison" /> : null}
      {failure ? (
        <ProblemView
          error={failure}
          onRetry={() => {
            void diff.refetch();
            if (!changedOnly) {
              void left.refetch();
              void right.refetch();
            }
          }}
        />
      ) : null}
      {!loading && !failure && diff.data ? (
        <>
          <p className="small muted">
            {changes.length === 0
              ? 'No field differs between these versions.'
              : `${changes.length} field${changes.length === 1 ? '' : 's'} changed: ${changes.map((c) => labelOf(c.field)).join(', ')}.`}
          </p>
          <div className="compare-fields">
            {keys.map((key) => {
              const change = changed.get(key);
              const before = change ? change.before : left.data?.snapshot[key];
              const after = change ? change.after : right.data?.snapshot[key];
              return (
                <section key={key} className={`compare-field${change ? ' is-changed' : ''}`} aria-label={labelOf(key)}>
                  <h3 className="compare-label">
                    {labelOf(key)}{' '}
                    {change ? (
                      <span className="pill pill-pending">Changed</span>
                    ) : (
                      <span className="muted small">unchanged</span>
                    )}
                  </h3>
                  {key === 'body' && change?.lines ? (
                    <BodyDiff lines={change.lines} a={a} b={b} truncated={change.linesTruncated} />
                  ) : key === 'body' ? (
                    <pre className="compare-body">{typeof after === 'string' ? after : ''}</pre>
                  ) : (
                    <div className="compare-pair">
                      <div className={change ? 'diff-old' : ''}>
                        <span className="visually-hidden">Version {a}: </span>
                        {show(key, before)}
                      </div>
                      <div className={change ? 'diff-new' : ''}>
                        <span className="visually-hidden">Version {b}: </span>
                        {show(key, after)}
                      </div>
                    </div>
                  )}
                </section>
              );
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}
