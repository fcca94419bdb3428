/**
 * My second factor. Enrol the built-in authenticator: start (the API returns the secret and otpauth:// URI this
 * once; no QR library, so the secret is shown as text with Copy) → confirm with a code → recovery codes shown
 * once. Remove it (which needs MFA now; a lost device is reset by an admin).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { Field, fieldErrors } from '../settings/form.tsx';
import { SecretOnceDialog } from '../settings/SecretOnceDialog.tsx';

const key = ['account', 'mfa'];

/** The base32 secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

export function MfaCard() {
  const status = useQuery({ queryKey: key, queryFn: async () => unwrap(await api.GET('/api/v1/me/mfa')) });
  const [enrolment, setEnrolment] = useState<Schemas['TotpEnrolment'] | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const start = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/mfa/totp')),
    onSuccess: (e) => {
      setEnrolment(e);
      setCode('');
      refresh();
    },
  });
  const confirm = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/mfa/totp/confirm', { body: { code: code.trim() } })),
    onSuccess: (r) => {
      setEnrolment(null);
      setRecovery(r.recoveryCodes);
      refresh();
      queryClient.invalidateQueries({ queryKey: ['session'] });
    },
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/me/mfa/totp')),
    onSuccess: () => {
      setRemoving(false);
      setEnrolment(null);
      refresh();
      toast('Authenticator removed');
    },
  });

  let body: React.ReactNode;
  if (status.isPending) body = <Skeleton lines={3} label="Loading your MFA status" />;
  else if (status.error) body = <ProblemView error={status.error} onRetry={() => status.refetch()} />;
  else {
    const s = status.data;
    const confirmed = s.totp.status === 'confirmed';
    body = (
      <div className="stack">
        <dl className="kv">
          <dt>Required for your role</dt>
          <dd>
            {s.required ? 'Yes' : 'No'}
            {s.maxAgeSeconds ? (
              <span className="muted"> · at most {Math.round(s.maxAgeSeconds / 60)} minutes old</span>
            ) : null}
          </dd>
          <dt>This session</dt>
          <dd>
            {s.satisfied ? (
              <Pill value="active" label="Multi-factor verified" />
            ) : (
              <Pill value="inactive" label="Single factor" />
            )}
          </dd>
          <dt>Built-in authenticator</dt>
          <dd>
            {confirmed ? (
              <>
                <Pill value="active" label="Enrolled" />{' '}
                <span className="muted">{s.totp.recoveryCodesLeft ?? 0} recovery codes left</span>
              </>
            ) : s.totp.status === 'pending' ? (
              <Pill value="pending" label="Started, not confirmed" />
            ) : (
              <Pill value="inactive" label="Not enrolled" />
            )}
          </dd>
        </dl>
        {!s.builtInTotp ? (
          <p className="notice">
            Your organization counts only your identity provider’s MFA; the built-in authenticator is turned off here.
          </p>
        ) : null}
        <div className="form-actions">
          {confirmed ? (
            <Button
              variant="danger"
              onClick={() => setRemoving(true)}
              disabledReason={
                s.satisfied
                  ? null
                  : 'Removing it needs multi-factor authentication in this session: verify a code first.'
              }
            >
              Remove authenticator
            </Button>
          ) : (
            <Button
              variant="primary"
              busy={start.isPending}
              onClick={() => start.mutate()}
              disabledReason={
                s.builtInTotp ? null : 'Your organization’s security policy turned the built-in authenticator off.'
              }
            >
              {s.totp.status === 'pending' || enrolment ? 'Start again' : 'Set up authenticator app'}
            </Button>
          )}
        </div>
        {start.error ? <ProblemView error={start.error} compact /> : null}
        {enrolment ? (
          <Enrolment
            enrolment={enrolment}
            code={code}
            setCode={setCode}
            busy={confirm.isPending}
            error={confirm.error}
            onConfirm={() => confirm.mutate()}
          />
        ) : null}
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Multi-factor authentication</h2>
      {body}
      <SecretOnceDialog
        open={recovery !== null}
        title="Authenticator enrolled: your recovery codes"
        label="Recovery codes"
        secret={recovery?.join('  ') ?? ''}
        onDone={() => {
          setRecovery(null);
          toast('Authenticator enrolled');
        }}
      >
        <ul className="recovery-codes" aria-label="Recovery codes">
          {recovery?.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p className="muted small">Each code works once, in place of an authenticator code, if you lose your device.</p>
      </SecretOnceDialog>
      <ConfirmDialog
        open={removing}
        title="Remove your authenticator?"
        consequence={
          'The authenticator, its recovery codes and the verifications it made are removed. If your role needs ' +
          'MFA, your next request asks for it again: sign in with your provider’s MFA or enrol a new ' +
          'authenticator.'
        }
        confirmLabel="Remove authenticator"
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
    </section>
  );
}

function Enrolment({
  enrolment,
  code,
  setCode,
  busy,
  error,
  onConfirm,
}: {
  enrolment: Schemas['TotpEnrolment'];
  code: string;
  setCode: (code: string) => void;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
}) {
  const errors = fieldErrors(error);
  return (
    <form
      className="stack card"
      aria-label="Set up the authenticator app"
      onSubmit={(event) => {
        event.preventDefault();
        onConfirm();
      }}
    >
      <ol className="stack" style={{ paddingLeft: 18, margin: 0 }}>
        <li>
          In your authenticator app, add an account by entering this setup key (time-based, 6 digits, 30 seconds):
          <div className="secret-box">
            <span className="visually-hidden">Setup key: </span>
            <code>{grouped(enrolment.secret)}</code>
            <CopyButton value={enrolment.secret} label="Copy setup key" />
          </div>
          <details>
            <summary>Or use the otpauth:// link</summary>
            <div className="secret-box">
              <span className="visually-hidden">otpauth URI: </span>
              <code>{enrolment.otpauthUri}</code>
              <CopyButton value={enrolment.otpauthUri} label="Copy otpauth URI" />
            </div>
          </details>
        </li>
        <li>
          Enter the 6-digit code the app shows, before <Time iso={enrolment.expiresAt} />.
        </li>
      </ol>
      <Field label="Authenticator code" error={errors.code}>
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
            style={{ maxWidth: 160 }}
          />
        )}
      </Field>
      {error ? <ProblemView error={error} compact /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Confirm
        </Button>
      </div>
    </form>
  );
}
