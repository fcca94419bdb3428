/** Delivery settings: public access to published content, and this organization's delivery API rate limits. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { Field, fieldErrors } from './form.tsx';

type Settings = Schemas['DeliverySettings'];
const key = ['settings', 'delivery-settings'];

export function DeliverySettingsSection() {
  const settings = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/delivery-settings')),
  });
  return (
    <section>
      <PageHeader title="Delivery settings" breadcrumb="Settings">
        <p className="muted">How the delivery API serves this organization’s published content.</p>
      </PageHeader>
      {settings.isPending ? (
        <Skeleton lines={5} label="Loading the delivery settings" />
      ) : settings.error ? (
        <ProblemView error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <SettingsForm settings={settings.data} />
      )}
    </section>
  );
}

const toInput = (value: number | null) => (value === null ? '' : String(value));
const fromInput = (value: string) => (value.trim() === '' ? null : Number(value));

function SettingsForm({ settings }: { settings: Settings }) {
  const [publicAccess, setPublicAccess] = useState(settings.publicAccess);
  const [perIp, setPerIp] = useState(toInput(settings.rateLimits.requestsPerIpPerMinute));
  const [perToken, setPerToken] = useState(toInput(settings.rateLimits.requestsPerTokenPerMinute));
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/delivery-settings', {
          body: {
            publicAccess,
            rateLimits: { requestsPerIpPerMinute: fromInput(perIp), requestsPerTokenPerMinute: fromInput(perToken) },
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      toast('Delivery settings saved; the edge follows within a minute');
    },
  });
  const errors = fieldErrors(save.error);
  const url = `${window.location.origin}${settings.deliveryBaseUrl}`;
  return (
    <form
      className="card form-card"
      aria-label="Delivery settings"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <div className="field">
        <span className="field-label">Delivery API address</span>
        <div className="secret-box">
          <code>{url}</code>
          <CopyButton value={url} label="Copy delivery API address" />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={publicAccess} onChange={(event) => setPublicAccess(event.target.checked)} />
        Public access: serve published content without a delivery token
      </label>
      {publicAccess !== settings.publicAccess ? (
        <p className={publicAccess ? 'warning' : 'notice'}>
          {publicAccess
            ? 'Once saved, anyone who knows the address can read every published item of this organization.'
            : 'Once saved, sites and apps without a delivery token are refused (401).'}
        </p>
      ) : null}
      <fieldset>
        <legend>Rate limits (requests per minute)</legend>
        <div className="grid grid-2">
          <Field
            label="Per client address"
            hint="1–60,000. Empty: the platform default."
            error={errors['rateLimits.requestsPerIpPerMinute']}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                step={1}
                value={perIp}
                placeholder="Platform default"
                onChange={(event) => setPerIp(event.target.value)}
              />
            )}
          </Field>
          <Field
            label="Per delivery token"
            hint="1–600,000; without a token, counted per client address. Empty: the platform default."
            error={errors['rateLimits.requestsPerTokenPerMinute']}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                step={1}
                value={perToken}
                placeholder="Platform default"
                onChange={(event) => setPerToken(event.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      {save.error ? <ProblemView error={save.error} compact /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save delivery settings
        </Button>
      </div>
    </form>
  );
}
