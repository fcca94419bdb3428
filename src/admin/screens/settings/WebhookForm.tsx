/** Create or edit a webhook: URL, the events it receives, a description, on or off. The API's errors on the fields. */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { errorFor, Field, fieldErrors } from './form.tsx';

type EventType = Schemas['CreateWebhook']['eventTypes'][number];
type Webhook = Schemas['Webhook'];

const contentEvents: EventType[] = [
  'content.created',
  'content.updated',
  'content.submitted',
  'content.approved',
  'content.rejected',
  'content.published',
  'content.unpublished',
  'content.scheduled',
  'content.unscheduled',
  'content.archived',
  'content.restored',
  'content.compliance_reviewed',
];

export function WebhookFormDialog({
  open,
  webhook,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Null: create. */
  webhook: Webhook | null;
  onClose: () => void;
  onSaved: (saved: Webhook | Schemas['CreatedWebhook']) => void;
}) {
  const [url, setUrl] = useState(webhook?.url ?? 'https://');
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [events, setEvents] = useState<string[]>(webhook?.eventTypes ?? ['content.published', 'content.unpublished']);
  const [active, setActive] = useState(webhook?.active ?? true);
  const save = useMutation({
    mutationFn: async () => {
      const body = {
        url: url.trim(),
        eventTypes: events as EventType[],
        description: description.trim() || null,
        active,
      };
      return webhook
        ? unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } }, body }))
        : unwrap(await api.POST('/api/v1/webhooks', { body }));
    },
    onSuccess: (saved) => {
      save.reset();
      onSaved(saved);
    },
  });
  const errors = fieldErrors(save.error);
  const all = events.includes('*');
  const allContent = all || events.includes('content.*');
  const toggle = (event: string, on: boolean) =>
    setEvents((list) => (on ? [...list.filter((e) => e !== event), event] : list.filter((e) => e !== event)));
  const close = () => {
    save.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      wide
      title={webhook ? 'Edit webhook' : 'Create webhook'}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            form="webhook-form"
            variant="primary"
            busy={save.isPending}
            disabledReason={events.length === 0 ? 'Choose at least one event.' : null}
          >
            {webhook ? 'Save webhook' : 'Create webhook'}
          </Button>
        </>
      }
    >
      <form
        id="webhook-form"
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (events.length > 0) save.mutate();
        }}
      >
        <Field
          label="Endpoint URL"
          hint="https to a public host; private, loopback and link-local addresses are refused."
          error={errors.url}
        >
          {(props) => (
            <input {...props} type="url" required value={url} onChange={(event) => setUrl(event.target.value)} />
          )}
        </Field>
        <Field label="Description (optional)" hint="What listens here." error={errors.description}>
          {(props) => (
            <input
              {...props}
              maxLength={500}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </Field>
        <fieldset aria-describedby={errors.eventTypes ? 'webhook-events-error' : undefined}>
          <legend>Events</legend>
          <div className="stack">
            <label className="checkbox">
              <input type="checkbox" checked={all} onChange={(event) => setEvents(event.target.checked ? ['*'] : [])} />
              Every event (<code>*</code>)
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={allContent}
                disabled={all}
                onChange={(event) => setEvents(event.target.checked ? ['content.*'] : [])}
              />
              Every content event (<code>content.*</code>)
            </label>
            <div className="checks">
              {contentEvents.map((e) => (
                <label key={e} className="checkbox">
                  <input
                    type="checkbox"
                    checked={allContent || events.includes(e)}
                    disabled={allContent}
                    onChange={(event) => toggle(e, event.target.checked)}
                  />
                  <code>{e}</code>
                </label>
              ))}
            </div>
            <span className="hint muted small">
              A test event (<code>webhook.test</code>) is always delivered when you ask for one.
            </span>
            {errorFor(errors, 'eventTypes') ? (
              <span id="webhook-events-error" className="field-error">
                {errorFor(errors, 'eventTypes')}
              </span>
            ) : null}
          </div>
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
          Active: deliver events to this endpoint
        </label>
        {save.error ? <ProblemView error={save.error} compact /> : null}
      </form>
    </Dialog>
  );
}
