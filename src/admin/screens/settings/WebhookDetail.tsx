/**
 * One webhook (settings/webhooks/:id): its settings and health, edit, turn off and on, rotate the signing
 * secret (the new one shown once), send a test, delete; and its delivery log with each delivery's attempts and
 * Replay (audited by the API as webhook.delivery_replay).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton, TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { SecretOnceDialog } from './SecretOnceDialog.tsx';
import { oneOf, useDebounced, useUrlState } from './url-state.ts';
import { WebhookFormDialog } from './WebhookForm.tsx';
import { webhookStatusPill } from './WebhooksSection.tsx';

type Webhook = Schemas['Webhook'];
type Delivery = Schemas['WebhookDelivery'];
const deliveryStatuses = ['pending', 'sending', 'succeeded', 'dead_letter'] as const;
const deliveryLabels: Record<Delivery['status'], string> = {
  pending: 'Pending retry',
  sending: 'Sending',
  succeeded: 'Succeeded',
  dead_letter: 'Failed (dead letter)',
};
const LIMIT = 20;

export function WebhookDetail() {
  const { id = '' } = useParams();
  const webhook = useQuery({
    queryKey: ['settings', 'webhooks', 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  });
  const back = (
    <>
      Settings ›{' '}
      <Link to=".." relative="path">
        Webhooks
      </Link>
    </>
  );
  if (webhook.isPending) {
    return (
      <>
        <PageHeader title="Webhook" breadcrumb={back} />
        <Skeleton lines={6} label="Loading the webhook" />
      </>
    );
  }
  if (webhook.error) {
    return (
      <>
        <PageHeader title="Webhook" breadcrumb={back} />
        <ProblemView error={webhook.error} onRetry={() => webhook.refetch()} />
      </>
    );
  }
  return <WebhookView webhook={webhook.data} back={back} />;
}

type Pending = 'edit' | 'off' | 'rotate' | 'delete' | null;

function WebhookView({ webhook, back }: { webhook: Webhook; back: React.ReactNode }) {
  const [pending, setPending] = useState<Pending>(null);
  const [rotated, setRotated] = useState<Schemas['RotatedWebhookSecret'] | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks'] });
  const path = { params: { path: { id: webhook.id } } };
  const done = (text: string) => {
    refresh();
    toast(text);
    setPending(null);
  };
  const setActive = useMutation({
    mutationFn: async (active: boolean) =>
      unwrap(await api.PATCH('/api/v1/webhooks/{id}', { ...path, body: { active } })),
    onSuccess: (w) => done(w.active ? 'Webhook turned on' : 'Webhook turned off'),
    onError: (error) => toast(error.message, 'error'),
  });
  const rotate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/webhooks/{id}/rotate-secret', path)),
    onSuccess: (r) => {
      refresh();
      setPending(null);
      setRotated(r);
    },
  });
  const test = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/webhooks/{id}/test', path)),
    onSuccess: () => done('Test event queued: follow it in the delivery log below'),
    onError: (error) => toast(error.message, 'error'),
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/webhooks/{id}', path)),
    onSuccess: () => {
      refresh();
      toast('Webhook deleted');
      navigate('..', { relative: 'path' });
    },
  });
  const current = webhook.signingSecrets.find((s) => s.expiresAt === null);
  const previous = webhook.signingSecrets.find((s) => s.expiresAt !== null);
  return (
    <section>
      <PageHeader
        title={webhook.url}
        breadcrumb={back}
        actions={
          <>
            <Button onClick={() => setPending('edit')}>Edit</Button>
            {webhook.active ? (
              <Button onClick={() => setPending('off')}>Turn off</Button>
            ) : (
              <Button busy={setActive.isPending} onClick={() => setActive.mutate(true)}>
                Turn on
              </Button>
            )}
            <Button busy={test.isPending} onClick={() => test.mutate()}>
              Send test event
            </Button>
            <Button onClick={() => setPending('rotate')}>Rotate secret</Button>
            <Button variant="danger" onClick={() => setPending('delete')}>
              Delete
            </Button>
          </>
        }
      />
      <div className="card">
        <dl className="kv">
          <dt>Status</dt>
          <dd>{webhookStatusPill(webhook)}</dd>
          <dt>Description</dt>
          <dd>{webhook.description ?? <span className="muted">None</span>}</dd>
          <dt>Events</dt>
          <dd>
            <code>{webhook.eventTypes.join(', ')}</code>
          </dd>
          <dt>Last success</dt>
          <dd>
            <Time iso={webhook.lastSuccessAt} />
          </dd>
          <dt>Last failure</dt>
          <dd>
            <Time iso={webhook.lastFailureAt} />
            {webhook.failingSince ? (
              <span className="muted">
                {' '}
                (failing since <Time iso={webhook.failingSince} />)
              </span>
            ) : null}
          </dd>
          <dt>Signing secret</dt>
          <dd>
            {current ? (
              <>
                Created <Time iso={current.createdAt} />
              </>
            ) : (
              '—'
            )}
            {previous ? (
              <span className="muted">
                {' '}
                · the previous secret also signs until <Time iso={previous.expiresAt} />
              </span>
            ) : null}
          </dd>
        </dl>
      </div>
      <DeliveryLog webhook={webhook} />
      {pending === 'edit' ? (
        <WebhookFormDialog
          open
          webhook={webhook}
          onClose={() => setPending(null)}
          onSaved={() => done('Webhook saved')}
        />
      ) : null}
      <ConfirmDialog
        open={pending === 'off'}
        title="Turn this webhook off?"
        consequence="No events are delivered to this endpoint while it is off; events that happen meanwhile are not sent later. Turn it on again at any time."
        confirmLabel="Turn off"
        danger
        busy={setActive.isPending}
        onConfirm={() => setActive.mutate(false)}
        onCancel={() => setPending(null)}
      />
      <ConfirmDialog
        open={pending === 'rotate'}
        title="Rotate the signing secret?"
        consequence={
          'A new secret is created and shown once. The current secret keeps signing for 24 hours (each delivery ' +
          'carries both signatures), so update your receiver within that time.'
        }
        confirmLabel="Rotate secret"
        busy={rotate.isPending}
        onConfirm={() => rotate.mutate()}
        onCancel={() => {
          setPending(null);
          rotate.reset();
        }}
      >
        {rotate.error ? <ProblemView error={rotate.error} compact /> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'delete'}
        title="Delete this webhook?"
        consequence={`Nothing more is sent to ${webhook.url}; its secrets and its whole delivery log are deleted. This cannot be undone.`}
        confirmLabel="Delete webhook"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setPending(null);
          remove.reset();
        }}
      >
        {remove.error ? <ProblemView error={remove.error} compact /> : null}
      </ConfirmDialog>
      <SecretOnceDialog
        open={rotated !== null}
        title="New signing secret"
        label="Signing secret"
        secret={rotated?.secret ?? ''}
        onDone={() => {
          toast('Signing secret rotated');
          setRotated(null);
        }}
      >
        {rotated ? (
          <p className="muted small">
            The previous secret keeps signing until <Time iso={rotated.previousSecretExpiresAt} />.
          </p>
        ) : null}
      </SecretOnceDialog>
    </section>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { get, page, set } = useUrlState();
  const status = oneOf(get('status'), deliveryStatuses);
  const event = get('event') || undefined;
  const [open, setOpen] = useState<Delivery | null>(null);
  const search = useDebounced((text: string) => set({ event: text.trim() || null }));
  const deliveries = useQuery({
    queryKey: ['settings', 'webhooks', 'deliveries', webhook.id, { status, event, page }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhook.id }, query: { status, event, page, limit: LIMIT } },
        }),
      ),
    placeholderData: keepPreviousData,
    // A pending delivery changes by itself: look again while any is on its way.
    refetchInterval: (query) =>
      query.state.data?.data.some((d) => d.status === 'pending' || d.status === 'sending') ? 5000 : false,
  });
  // The webhook's health above (last success, last failure) moves with its deliveries: a newer log reloads it, so
  // the card never says "no success" beside a delivery that succeeded.
  const queryClient = useQueryClient();
  const seen = useRef(0);
  useEffect(() => {
    if (!deliveries.dataUpdatedAt) return;
    if (seen.current !== 0)
      void queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks', 'one', webhook.id], exact: true });
    seen.current = deliveries.dataUpdatedAt;
  }, [deliveries.dataUpdatedAt, queryClient, webhook.id]);
  return (
    <section className="section-gap" aria-labelledby="delivery-log-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="delivery-log-title">Delivery log</h2>
        <Button className="btn-small" onClick={() => deliveries.refetch()} busy={deliveries.isFetching}>
          Refresh
        </Button>
      </div>
      <search className="filters" aria-label="Filter deliveries">
        <label className="field">
          <span>Status</span>
          <select value={status ?? ''} onChange={(e) => set({ status: e.target.value || null })}>
            <option value="">Any status</option>
            {deliveryStatuses.map((s) => (
              <option key={s} value={s}>
                {deliveryLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Event type or id</span>
          <input
            type="search"
            defaultValue={event ?? ''}
            placeholder="content.published"
            onChange={(e) => search(e.target.value)}
          />
        </label>
      </search>
      {deliveries.error ? (
        <ProblemView error={deliveries.error} onRetry={() => deliveries.refetch()} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Deliveries of this webhook</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Response</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col">Created</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              {deliveries.isPending ? (
                <TableSkeleton rows={4} columns={7} />
              ) : (
                <tbody>
                  {deliveries.data.data.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <code>{d.eventType}</code>
                      </td>
                      <td>
                        <Pill value={d.status} label={deliveryLabels[d.status]} />
                      </td>
                      <td>{d.attemptCount}</td>
                      <td>{d.lastStatusCode ?? <span className="muted">{d.lastError ? 'No response' : '—'}</span>}</td>
                      <td>
                        <Time iso={d.lastAttemptAt} />
                      </td>
                      <td>
                        <Time iso={d.createdAt} />
                      </td>
                      <td>
                        <Button
                          className="btn-small"
                          aria-label={`Details of ${d.eventType} delivery ${d.id}`}
                          onClick={() => setOpen(d)}
                        >
                          Details
                        </Button>
                      </td>
                    </tr>
                  ))}
                  {deliveries.data.data.length === 0 ? (
                    <tr>
                      <td colSpan={7} className="empty-state">
                        {status || event
                          ? 'No deliveries match these filters.'
                          : 'Nothing delivered yet. Send a test event to try the endpoint.'}
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              )}
            </table>
          </div>
          {deliveries.data ? (
            <Pagination
              page={page}
              totalPages={Math.max(1, deliveries.data.totalPages)}
              total={deliveries.data.total}
              noun="deliveries"
              onPage={(p) => set({ page: p })}
            />
          ) : null}
        </>
      )}
      {open ? <DeliveryDialog webhook={webhook} delivery={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

function DeliveryDialog({ webhook, delivery, onClose }: { webhook: Webhook; delivery: Delivery; onClose: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const replay = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', {
          params: { path: { id: webhook.id, deliveryId: delivery.id } },
        }),
      ),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks', 'deliveries', webhook.id] });
      toast('Replay queued: the delivery is pending again');
      setConfirming(false);
      onClose();
    },
  });
  const replayReason =
    delivery.status === 'pending' || delivery.status === 'sending'
      ? 'Still being delivered: replay once it has succeeded or failed.'
      : !webhook.active
        ? 'The webhook is off: turn it on to replay.'
        : null;
  return (
    <Dialog
      open
      wide
      title={`Delivery of ${delivery.eventType}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" disabledReason={replayReason} onClick={() => setConfirming(true)}>
            Replay
          </Button>
        </>
      }
    >
      <div className="stack">
        <dl className="kv">
          <dt>Status</dt>
          <dd>
            <Pill value={delivery.status} label={deliveryLabels[delivery.status]} />
          </dd>
          <dt>Delivery id (webhook-id header)</dt>
          <dd>
            <code>{delivery.id}</code> <CopyButton value={delivery.id} label="Copy the delivery id" />
          </dd>
          <dt>Event id</dt>
          <dd>
            <code>{delivery.eventId}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            <Time iso={delivery.createdAt} />
          </dd>
          {delivery.nextAttemptAt ? (
            <>
              <dt>Next attempt</dt>
              <dd>
                <Time iso={delivery.nextAttemptAt} />
              </dd>
            </>
          ) : null}
          {delivery.succeededAt ? (
            <>
              <dt>Succeeded</dt>
              <dd>
                <Time iso={delivery.succeededAt} />
              </dd>
            </>
          ) : null}
          {delivery.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{delivery.lastError}</dd>
            </>
          ) : null}
        </dl>
        {/* The copy buttons are also what lets a keyboard reach, and so scroll, this long dialog. */}
        <div className="row">
          <h3>Request body (signed, the same on every attempt)</h3>
          <CopyButton value={JSON.stringify(delivery.payload)} label="Copy the request body" />
        </div>
        <pre className="json">{JSON.stringify(delivery.payload, null, 2)}</pre>
        <h3>Attempts ({delivery.attempts.length})</h3>
        {delivery.attempts.length === 0 ? (
          <p className="muted">No attempt yet.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Sent</th>
                <th scope="col">Response code</th>
                <th scope="col">Duration</th>
                <th scope="col">Response (first 1 KiB) or error</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attempts.map((a) => (
                <tr key={a.number}>
                  <td>{a.number}</td>
                  <td>
                    <Time iso={a.attemptedAt} />
                  </td>
                  <td>
                    <Pill
                      value={a.succeeded ? 'succeeded' : 'dead_letter'}
                      label={a.statusCode ? String(a.statusCode) : 'No response'}
                    />
                  </td>
                  <td>{a.durationMs} ms</td>
                  <td>
                    {a.error ? <div className="field-error">{a.error}</div> : null}
                    {a.responseExcerpt ? <pre className="json">{a.responseExcerpt}</pre> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Replay this delivery?"
        consequence={
          `The same body with the same webhook-id is sent to ${webhook.url} again, on a fresh retry schedule; ` +
          `receivers that deduplicate by webhook-id will ignore it. The replay is recorded in the audit log.`
        }
        confirmLabel="Replay delivery"
        busy={replay.isPending}
        onConfirm={() => replay.mutate()}
        onCancel={() => {
          setConfirming(false);
          replay.reset();
        }}
      >
        {replay.error ? <ProblemView error={replay.error} compact /> : null}
      </ConfirmDialog>
    </Dialog>
  );
}
