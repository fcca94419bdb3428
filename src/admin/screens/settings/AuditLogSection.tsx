/**
 * The audit log: every change, newest first, with the filters GET /api/v1/audit-log supports (action or prefix,
 * actor, entity, time range) kept in the URL; numbered pages; a details dialog (IP, request id, before/after);
 * CSV export of the filtered rows (fetched page by page, capped); and the hash chain's verification.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { browserTimeZone, Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { auditCsv, download } from './audit-csv.ts';
import { AuditChain } from './AuditChain.tsx';
import { useUrlState } from './url-state.ts';

type Entry = Schemas['AuditEntry'];
const LIMIT = 25;
/** CSV export reads at most this many rows (pages of 100), so one click never floods the API. */
export const CSV_CAP = 2000;

const toLocalInput = (iso: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

/** Who an actor id is: the user's email or the API key's name where the role may list them. */
function useActors() {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const usersQuery = {
    queryKey: ['settings', 'audit-actors', 'users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 100 } } })),
    staleTime: 60_000,
  };
  const keysQuery = {
    queryKey: ['settings', 'audit-actors', 'api-keys'],
    queryFn: async () => unwrap(await api.GET('/api/v1/api-keys', { params: { query: { limit: 100 } } })),
    staleTime: 60_000,
  };
  const users = useQuery({ ...usersQuery, enabled: can('users.read') });
  const keys = useQuery({ ...keysQuery, enabled: can('api_keys.manage') });
  const namer = (userList: typeof users.data, keyList: typeof keys.data) => {
    const names = new Map<string, string>();
    for (const u of userList?.data ?? []) if (u) names.set(u.id, u.email);
    for (const k of keyList?.data ?? []) names.set(k.id, `API key “${k.name}”`);
    const name = (type: string, id: string | null) => {
      if (type === 'system') return 'ContentOS (system)';
      if (!id) return type;
      return names.get(id) ?? `${type === 'api_key' ? 'API key' : 'User'} ${id.slice(0, 8)}`;
    };
    return { names, name };
  };
  /** For the CSV: the names once both lists are in, whatever has loaded on screen so far. */
  const loaded = async () =>
    namer(
      can('users.read') ? await queryClient.ensureQueryData(usersQuery) : undefined,
      can('api_keys.manage') ? await queryClient.ensureQueryData(keysQuery) : undefined,
    );
  return { ...namer(users.data, keys.data), loaded };
}

export function AuditLogSection() {
  const { get, page, set } = useUrlState();
  const { can } = useSession();
  const filters = {
    action: get('action') || undefined,
    actor: get('actor') || undefined,
    entityType: get('entityType') || undefined,
    entityId: get('entityId') || undefined,
    from: get('from') || undefined,
    to: get('to') || undefined,
  };
  const [open, setOpen] = useState<Entry | null>(null);
  const [exporting, setExporting] = useState<number | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const toast = useToast();
  const actors = useActors();
  const log = useQuery({
    queryKey: ['settings', 'audit-log', { ...filters, page }],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit-log', { params: { query: { ...filters, page, limit: LIMIT } } })),
    placeholderData: keepPreviousData,
  });
  const filtered = Object.values(filters).some(Boolean);

  const exportCsv = async () => {
    setExportError(null);
    setExporting(0);
    try {
      const { name } = await actors.loaded();
      const rows: Entry[] = [];
      for (let p = 1; rows.length < CSV_CAP; p++) {
        const result = unwrap(
          await api.GET('/api/v1/audit-log', { params: { query: { ...filters, page: p, limit: 100 } } }),
        );
        rows.push(...result.data);
        setExporting(rows.length);
        if (p >= result.totalPages) break;
      }
      const capped = rows.slice(0, CSV_CAP);
      download(`audit-log-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`, auditCsv(capped, name));
      toast(
        log.data && log.data.total > CSV_CAP
          ? `Exported the newest ${CSV_CAP} of ${log.data.total} entries; narrow the filters for the rest`
          : `Exported ${capped.length} entries`,
      );
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(null);
    }
  };

  return (
    <section>
      <PageHeader
        title="Audit log"
        breadcrumb="Settings"
        actions={
          <Button
            onClick={exportCsv}
            busy={exporting !== null}
            disabledReason={log.data?.total === 0 ? 'No entries to export.' : null}
          >
            {exporting !== null ? `Exporting… ${exporting} rows` : 'Export CSV'}
          </Button>
        }
      >
        <p className="muted">
          Every change in the organization, newest first. Append-only: entries cannot be edited or deleted. CSV export
          covers the rows matching the filters, at most the newest {CSV_CAP.toLocaleString()}.
        </p>
      </PageHeader>
      {can('audit.read') ? <AuditChain /> : null}
      <search className="filters" aria-label="Filter the audit log">
        <label className="field">
          <span>Action</span>
          <input
            defaultValue={filters.action ?? ''}
            placeholder="content.update or content.*"
            onBlur={(e) => set({ action: e.target.value.trim() || null })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ action: e.currentTarget.value.trim() || null });
            }}
          />
        </label>
        <label className="field">
          <span>Actor</span>
          <select value={filters.actor ?? ''} onChange={(e) => set({ actor: e.target.value || null })}>
            <option value="">Anyone</option>
            {[...actors.names].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
            {filters.actor && !actors.names.has(filters.actor) ? (
              <option value={filters.actor}>{filters.actor}</option>
            ) : null}
          </select>
        </label>
        <label className="field">
          <span>Resource type</span>
          <input
            defaultValue={filters.entityType ?? ''}
            placeholder="content, user, webhook…"
            onBlur={(e) => set({ entityType: e.target.value.trim() || null })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ entityType: e.currentTarget.value.trim() || null });
            }}
          />
        </label>
        <label className="field">
          <span>Resource id</span>
          <input
            defaultValue={filters.entityId ?? ''}
            onBlur={(e) => set({ entityId: e.target.value.trim() || null })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ entityId: e.currentTarget.value.trim() || null });
            }}
          />
        </label>
        <label className="field">
          <span>From ({browserTimeZone})</span>
          <input
            type="datetime-local"
            value={toLocalInput(filters.from ?? '')}
            onChange={(e) => set({ from: fromLocalInput(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>To ({browserTimeZone})</span>
          <input
            type="datetime-local"
            value={toLocalInput(filters.to ?? '')}
            onChange={(e) => set({ to: fromLocalInput(e.target.value) })}
          />
        </label>
        {filtered ? (
          <Button
            onClick={() => set({ action: null, actor: null, entityType: null, entityId: null, from: null, to: null })}
          >
            Clear filters
          </Button>
        ) : null}
      </search>
      {exportError ? <ProblemView error={exportError} onRetry={exportCsv} /> : null}
      {log.error ? (
        <ProblemView error={log.error} onRetry={() => log.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Audit log entries</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              {log.isPending ? (
                <TableSkeleton rows={8} columns={5} />
              ) : (
                <tbody>
                  {log.data.data.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <Time iso={e.occurredAt} />
                      </td>
                      <td>{actors.name(e.actor.type, e.actor.id)}</td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td>
                        {e.entity.type} <code className="muted small">{e.entity.id.slice(0, 13)}</code>
                      </td>
                      <td>
                        <Button
                          className="btn-small"
                          aria-label={`Details of ${e.action} at entry ${e.id}`}
                          onClick={() => setOpen(e)}
                        >
                          Details
                        </Button>
                      </td>
                    </tr>
                  ))}
                  {log.data.data.length === 0 ? (
                    <tr>
                      <td colSpan={5} className="empty-state">
                        {filtered ? 'No entries match these filters.' : 'Nothing recorded yet.'}
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              )}
            </table>
          </div>
          {log.data ? (
            <Pagination
              page={page}
              totalPages={Math.max(1, log.data.totalPages)}
              total={log.data.total}
              noun="entries"
              onPage={(p) => set({ page: p })}
            />
          ) : null}
        </>
      )}
      {open ? (
        <EntryDialog entry={open} actor={actors.name(open.actor.type, open.actor.id)} onClose={() => setOpen(null)} />
      ) : null}
    </section>
  );
}

function EntryDialog({ entry, actor, onClose }: { entry: Entry; actor: string; onClose: () => void }) {
  return (
    <Dialog open wide title={`Audit entry ${entry.id}: ${entry.action}`} onClose={onClose}>
      <div className="stack">
        <dl className="kv">
          <dt>When</dt>
          <dd>
            <Time iso={entry.occurredAt} /> <span className="muted small">({entry.occurredAt})</span>
          </dd>
          <dt>Actor</dt>
          <dd>
            {actor}{' '}
            <span className="muted small">
              ({entry.actor.type}
              {entry.actor.id ? ` ${entry.actor.id}` : ''})
            </span>
          </dd>
          <dt>Action</dt>
          <dd>
            <code>{entry.action}</code>
          </dd>
          <dt>Resource</dt>
          <dd>
            {entry.entity.type} <code>{entry.entity.id}</code>
          </dd>
          <dt>IP address</dt>
          <dd>{entry.ip ?? <span className="muted">Not recorded</span>}</dd>
          <dt>User agent</dt>
          <dd className="small">{entry.userAgent ?? <span className="muted">Not recorded</span>}</dd>
          <dt>Request id</dt>
          <dd>
            {entry.requestId ? (
              <>
                <code>{entry.requestId}</code> <CopyButton value={entry.requestId} label="Copy request id" />
              </>
            ) : (
              <span className="muted">None (the platform itself)</span>
            )}
          </dd>
        </dl>
        <div className="grid grid-2">
          <div>
            <h3>Before</h3>
            <pre className="json">{JSON.stringify(entry.changes.before, null, 2)}</pre>
          </div>
          <div>
            <h3>After</h3>
            <pre className="json">{JSON.stringify(entry.changes.after, null, 2)}</pre>
          </div>
        </div>
        <p className="muted small">Changed fields only; secrets are never recorded.</p>
      </div>
    </Dialog>
  );
}
