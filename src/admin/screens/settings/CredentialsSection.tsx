/**
 * API keys and delivery tokens share a shape: a list (name, prefix, role or scope, created, last used, expiry,
 * status), a create whose secret is shown once, and revoke behind a confirm that names the consequence.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { browserTimeZone, Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { Field, fieldErrors, type Page } from './form.tsx';
import { SecretOnceDialog } from './SecretOnceDialog.tsx';
import { oneOf, useUrlState } from './url-state.ts';

export interface Credential {
  id: string;
  name: string;
  prefix: string;
  status: 'active' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CredentialsConfig<C extends Credential, Extra> {
  key: string;
  title: string;
  /** "API key", "delivery token". */
  noun: string;
  intro: ReactNode;
  /** The column that says what the credential may do. */
  scopeHeader: string;
  scopeOf: (credential: C) => ReactNode;
  revokeConsequence: (credential: C) => string;
  list: (query: { page: number; limit: number; status?: Credential['status'] }) => Promise<Page<C>>;
  create: (input: { name: string; expiresAt: string | null } & Extra) => Promise<C & { secret: string }>;
  revoke: (id: string) => Promise<unknown>;
  /** Form fields beyond name and expiry (an API key's role). */
  extraFields?: (props: {
    value: Extra;
    onChange: (value: Extra) => void;
    errors: Record<string, string>;
  }) => ReactNode;
  initialExtra: Extra;
  secretHint: ReactNode;
}

const statuses = ['active', 'revoked', 'expired'] as const;
const LIMIT = 20;

export function CredentialsSection<C extends Credential, Extra>({ config }: { config: CredentialsConfig<C, Extra> }) {
  const { get, page, set } = useUrlState();
  const status = oneOf(get('status'), statuses);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(C & { secret: string }) | null>(null);
  const [revoking, setRevoking] = useState<C | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const list = useQuery({
    queryKey: ['settings', config.key, { status, page }],
    queryFn: () => config.list({ page, limit: LIMIT, status }),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation({
    mutationFn: (credential: C) => config.revoke(credential.id),
    onSuccess: (_, credential) => {
      queryClient.invalidateQueries({ queryKey: ['settings', config.key] });
      toast(`Revoked ${credential.name}`);
      setRevoking(null);
    },
  });
  return (
    <section>
      <PageHeader
        title={config.title}
        breadcrumb="Settings"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create {config.noun}
          </Button>
        }
      >
        <p className="muted">{config.intro}</p>
      </PageHeader>
      <div className="filters">
        <label className="field">
          <span>Status</span>
          <select value={status ?? ''} onChange={(event) => set({ status: event.target.value || null })}>
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error ? (
        <ProblemView error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">{config.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">{config.scopeHeader}</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              {list.isPending ? (
                <TableSkeleton rows={4} columns={8} />
              ) : (
                <tbody>
                  {list.data.data.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>
                        <code>{c.prefix}…</code>
                      </td>
                      <td>{config.scopeOf(c)}</td>
                      <td>
                        <Pill value={c.status} label={c.status[0]!.toUpperCase() + c.status.slice(1)} />
                      </td>
                      <td>
                        <Time iso={c.createdAt} />
                      </td>
                      <td>{c.lastUsedAt ? <Time iso={c.lastUsedAt} /> : <span className="muted">Never</span>}</td>
                      <td>{c.expiresAt ? <Time iso={c.expiresAt} /> : <span className="muted">Never</span>}</td>
                      <td>
                        <Button
                          className="btn-small"
                          variant="danger"
                          aria-label={`Revoke ${c.name}`}
                          disabledReason={c.status === 'revoked' ? 'Already revoked.' : null}
                          onClick={() => setRevoking(c)}
                        >
                          Revoke
                        </Button>
                      </td>
                    </tr>
                  ))}
                  {list.data.data.length === 0 ? (
                    <tr>
                      <td colSpan={8} className="empty-state">
                        {status
                          ? `No ${status} ${config.noun}s.`
                          : `No ${config.noun}s yet. Create one to get started.`}
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              )}
            </table>
          </div>
          {list.data ? (
            <Pagination
              page={page}
              totalPages={Math.max(1, list.data.totalPages)}
              total={list.data.total}
              noun={`${config.noun}s`}
              onPage={(p) => set({ page: p })}
            />
          ) : null}
        </>
      )}
      <CreateDialog
        config={config}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
          queryClient.invalidateQueries({ queryKey: ['settings', config.key] });
        }}
      />
      <SecretOnceDialog
        open={created !== null}
        title={`${config.noun[0]!.toUpperCase()}${config.noun.slice(1)} created: ${created?.name ?? ''}`}
        label={`${config.noun[0]!.toUpperCase()}${config.noun.slice(1)} secret`}
        secret={created?.secret ?? ''}
        onDone={() => {
          toast(`${created?.name} is listed by its prefix ${created?.prefix}…`);
          setCreated(null);
        }}
      >
        <p className="muted small">{config.secretHint}</p>
      </SecretOnceDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? ''}?`}
        consequence={revoking ? config.revokeConsequence(revoking) : ''}
        confirmLabel={`Revoke ${config.noun}`}
        danger
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        {revoke.error ? <ProblemView error={revoke.error} compact /> : null}
      </ConfirmDialog>
    </section>
  );
}

function CreateDialog<C extends Credential, Extra>({
  config,
  open,
  onClose,
  onCreated,
}: {
  config: CredentialsConfig<C, Extra>;
  open: boolean;
  onClose: () => void;
  onCreated: (created: C & { secret: string }) => void;
}) {
  const [name, setName] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [extra, setExtra] = useState<Extra>(config.initialExtra);
  const create = useMutation({
    mutationFn: () =>
      config.create({
        name: name.trim(),
        // The end of the chosen day in the viewer's zone.
        expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : null,
        ...extra,
      }),
    onSuccess: (c) => {
      setName('');
      setExpiresOn('');
      setExtra(config.initialExtra);
      create.reset();
      onCreated(c);
    },
  });
  const errors = fieldErrors(create.error);
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      title={`Create ${config.noun}`}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form={`create-${config.key}`} variant="primary" busy={create.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form
        id={`create-${config.key}`}
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Name" hint="Where it is used, shown in this list." error={errors.name}>
          {(props) => (
            <input {...props} required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        {config.extraFields?.({ value: extra, onChange: setExtra, errors })}
        <Field
          label="Expires on (optional)"
          hint={`Stops working at the end of that day (${browserTimeZone}). Empty: until revoked.`}
          error={errors.expiresAt}
        >
          {(props) => (
            <input {...props} type="date" value={expiresOn} onChange={(event) => setExpiresOn(event.target.value)} />
          )}
        </Field>
        {create.error ? <ProblemView error={create.error} compact /> : null}
      </form>
    </Dialog>
  );
}
