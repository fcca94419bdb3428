/**
 * Single sign-on: the organization's OpenID Connect provider. The client secret is write-only (the API says only
 * whether one is set); the redirect URI to register with the provider is the one the API reports.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorFor, Field, fieldErrors } from './form.tsx';
import { roleLabel } from './labels.ts';

type Sso = Schemas['SsoSettings'];
type SsoRole = NonNullable<Sso['defaultRole']>;
const ssoRoles: SsoRole[] = ['org_admin', 'editor', 'approver', 'viewer'];
const key = ['settings', 'sso'];

export function SsoSection() {
  const sso = useQuery({ queryKey: key, queryFn: async () => unwrap(await api.GET('/api/v1/sso')) });
  return (
    <section>
      <PageHeader title="Single sign-on" breadcrumb="Settings">
        <p className="muted">
          People of this organization sign in through your OpenID Connect provider (SAML through an OIDC broker).
        </p>
      </PageHeader>
      {sso.isPending ? (
        <Skeleton lines={8} label="Loading single sign-on" />
      ) : sso.error ? (
        <ProblemView error={sso.error} onRetry={() => sso.refetch()} />
      ) : (
        <SsoForm key={sso.data.updatedAt ?? 'new'} sso={sso.data} />
      )}
    </section>
  );
}

function SsoForm({ sso }: { sso: Sso }) {
  const [issuer, setIssuer] = useState(sso.issuer ?? '');
  const [clientId, setClientId] = useState(sso.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(sso.allowedDomains.join('\n'));
  const [defaultRole, setDefaultRole] = useState<SsoRole | ''>(sso.defaultRole ?? '');
  const [roleClaim, setRoleClaim] = useState(sso.roleClaim ?? '');
  const [mapping, setMapping] = useState<{ value: string; role: SsoRole }[]>(
    Object.entries(sso.roleMapping).map(([value, role]) => ({ value, role })),
  );
  const [enabled, setEnabled] = useState(sso.configured ? sso.enabled : true);
  const [removing, setRemoving] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/sso', {
          body: {
            issuer: issuer.trim(),
            clientId: clientId.trim(),
            ...(clientSecret ? { clientSecret } : {}),
            allowedDomains: domains
              .split(/[\n,]/)
              .map((d) => d.trim())
              .filter(Boolean),
            defaultRole: defaultRole || null,
            roleClaim: roleClaim.trim() || null,
            roleMapping: Object.fromEntries(mapping.filter((m) => m.value.trim()).map((m) => [m.value.trim(), m.role])),
            enabled,
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      setClientSecret('');
      toast('Single sign-on saved');
    },
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/sso')),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: key });
      setRemoving(false);
      toast('Single sign-on removed');
    },
  });
  const errors = fieldErrors(save.error);
  const redirect = sso.redirectUri;
  return (
    <div className="stack">
      <div className="card form-card">
        <dl className="kv">
          <dt>Redirect URI</dt>
          <dd className="row">
            <code>{redirect}</code> <CopyButton value={redirect} label="Copy redirect URI" />
          </dd>
          <dt>Sign-in page</dt>
          <dd>
            <code>{`${window.location.origin}${sso.loginUrl}`}</code>
          </dd>
          <dt>State</dt>
          <dd>
            {sso.configured ? (
              <>
                {sso.enabled ? 'Configured and enabled' : 'Configured, turned off'} · last changed{' '}
                <Time iso={sso.updatedAt} />
              </>
            ) : (
              'Not configured yet'
            )}
          </dd>
        </dl>
        <p className="muted small">Register the redirect URI with your provider before saving.</p>
      </div>
      <form
        className="card form-card"
        aria-label="Single sign-on settings"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Field
          label="Issuer"
          hint="Its discovery document (<issuer>/.well-known/openid-configuration) is read when you save; https, public host."
          error={errors.issuer}
        >
          {(props) => (
            <input {...props} type="url" required value={issuer} onChange={(event) => setIssuer(event.target.value)} />
          )}
        </Field>
        <div className="grid grid-2">
          <Field label="Client id" error={errors.clientId}>
            {(props) => (
              <input {...props} required value={clientId} onChange={(event) => setClientId(event.target.value)} />
            )}
          </Field>
          <Field
            label="Client secret"
            hint={
              sso.clientSecretSet
                ? 'A secret is set and is never shown. Leave empty to keep it; type a new one to replace it.'
                : 'Required the first time. Stored encrypted and never shown again.'
            }
            error={errors.clientSecret}
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="new-password"
                required={!sso.clientSecretSet}
                placeholder={sso.clientSecretSet ? '•••••••• (set)' : ''}
                value={clientSecret}
                onChange={(event) => setClientSecret(event.target.value)}
              />
            )}
          </Field>
        </div>
        <Field
          label="Allowed email domains"
          hint="One per line. People with these domains get an account at their first sign-in."
          error={errorFor(errors, 'allowedDomains')}
        >
          {(props) => (
            <textarea {...props} rows={3} value={domains} onChange={(event) => setDomains(event.target.value)} />
          )}
        </Field>
        <div className="grid grid-2">
          <Field
            label="Role of a new account"
            hint="Invitation only: nobody gets an account unless the role mapping gives a role."
            error={errors.defaultRole}
          >
            {(props) => (
              <select
                {...props}
                value={defaultRole}
                onChange={(event) => setDefaultRole(event.target.value as SsoRole | '')}
              >
                <option value="">Invitation only</option>
                {ssoRoles.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Role claim" hint="ID token claim with groups or roles, e.g. groups." error={errors.roleClaim}>
            {(props) => <input {...props} value={roleClaim} onChange={(event) => setRoleClaim(event.target.value)} />}
          </Field>
        </div>
        <fieldset>
          <legend>Role mapping (claim value → role; the most powerful match wins)</legend>
          <div className="stack">
            {mapping.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, their text is not stable
              <div key={i} className="row">
                <input
                  aria-label={`Claim value ${i + 1}`}
                  value={m.value}
                  onChange={(event) =>
                    setMapping((all) => all.map((x, j) => (j === i ? { ...x, value: event.target.value } : x)))
                  }
                  placeholder="contentos-editors"
                />
                <select
                  aria-label={`Role for claim value ${i + 1}`}
                  value={m.role}
                  onChange={(event) =>
                    setMapping((all) =>
                      all.map((x, j) => (j === i ? { ...x, role: event.target.value as SsoRole } : x)),
                    )
                  }
                >
                  {ssoRoles.map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(r)}
                    </option>
                  ))}
                </select>
                <Button
                  className="btn-small"
                  aria-label={`Remove mapping ${i + 1}`}
                  onClick={() => setMapping((all) => all.filter((_, j) => j !== i))}
                >
                  Remove
                </Button>
              </div>
            ))}
            <div>
              <Button
                className="btn-small"
                onClick={() => setMapping((all) => [...all, { value: '', role: 'viewer' }])}
              >
                Add mapping
              </Button>
            </div>
            {errorFor(errors, 'roleMapping') ? (
              <span className="field-error">{errorFor(errors, 'roleMapping')}</span>
            ) : null}
          </div>
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Enabled: people sign in through this provider
        </label>
        {sso.configured && sso.enabled && !enabled ? (
          <p className="warning">Saving with sign-on turned off ends every session of the organization.</p>
        ) : null}
        {save.error ? <ProblemView error={save.error} compact /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save single sign-on
          </Button>
          <Button
            variant="danger"
            onClick={() => setRemoving(true)}
            disabledReason={sso.configured ? null : 'Nothing is configured yet.'}
          >
            Remove single sign-on
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={removing}
        title="Remove single sign-on?"
        consequence={
          'The provider settings are deleted and every session signed in through it ends now; people cannot ' +
          'sign in through it until it is configured again. Bearer tokens and API keys keep working.'
        }
        confirmLabel="Remove single sign-on"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setRemoving(false);
          remove.reset();
        }}
      >
        {remove.error ? <ProblemView error={remove.error} compact /> : null}
      </ConfirmDialog>
    </div>
  );
}
