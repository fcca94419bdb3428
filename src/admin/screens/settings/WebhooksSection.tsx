/** Webhooks: the organization's endpoints with their health; create one (its signing secret shown once). */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { SecretOnceDialog } from './SecretOnceDialog.tsx';
import { useUrlState } from './url-state.ts';
import { WebhookFormDialog } from './WebhookForm.tsx';

type Webhook = Schemas['Webhook'];
const LIMIT = 20;

export function webhookStatusPill(webhook: Webhook) {
  const label =
    webhook.status === 'active'
      ? 'Active'
      : webhook.status === 'inactive'
        ? 'Off'
        : webhook.disabledReason === 'endpoint_gone'
          ? 'Disabled: endpoint gone (410)'
          : 'Disabled: failing for 3 days';
  return <Pill value={webhook.status} label={label} />;
}

export function WebhooksSection() {
  const { page, set } = useUrlState();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Schemas['CreatedWebhook'] | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const list = useQuery({
    queryKey: ['settings', 'webhooks', { page }],
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks', { params: { query: { page, limit: LIMIT } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <PageHeader
        title="Webhooks"
        breadcrumb="Settings"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create webhook
          </Button>
        }
      >
        <p className="muted">
          Signed POSTs (Standard Webhooks) to your endpoints when content changes, retried for about 42 hours.
        </p>
      </PageHeader>
      {list.error ? (
        <ProblemView error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Webhooks</caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last success</th>
                  <th scope="col">Last failure</th>
                </tr>
              </thead>
              {list.isPending ? (
                <TableSkeleton rows={3} columns={5} />
              ) : (
                <tbody>
                  {list.data.data.map((w) => (
                    <tr key={w.id}>
                      <td>
                        <Link to={w.id}>{w.url}</Link>
                        {w.description ? <div className="muted small">{w.description}</div> : null}
                      </td>
                      <td className="small">{w.eventTypes.join(', ')}</td>
                      <td>{webhookStatusPill(w)}</td>
                      <td>{w.lastSuccessAt ? <Time iso={w.lastSuccessAt} /> : <span className="muted">Never</span>}</td>
                      <td>{w.lastFailureAt ? <Time iso={w.lastFailureAt} /> : <span className="muted">Never</span>}</td>
                    </tr>
                  ))}
                  {list.data.data.length === 0 ? (
                    <tr>
                      <td colSpan={5} className="empty-state">
                        No webhooks yet. Create one to be told when content is published.
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
              noun="webhooks"
              onPage={(p) => set({ page: p })}
            />
          ) : null}
        </>
      )}
      {creating ? (
        <WebhookFormDialog
          open
          webhook={null}
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false);
            queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks'] });
            if ('secret' in saved) setCreated(saved);
          }}
        />
      ) : null}
      <SecretOnceDialog
        open={created !== null}
        title="Webhook created"
        label="Signing secret"
        secret={created?.secret ?? ''}
        onDone={() => {
          toast(`Webhook ${created?.url} created`);
          setCreated(null);
        }}
      >
        <p className="muted small">
          Verify each delivery's <code>webhook-signature</code> with this secret and any Standard Webhooks library.
        </p>
      </SecretOnceDialog>
    </section>
  );
}
