/**
 * Security policy: which roles need multi-factor authentication, how recent it must be (RFC 9470 max_age), and
 * whether the built-in authenticator counts. super_admin always needs MFA (it acts in every organization).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import type { Role } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { errorFor, Field, fieldErrors } from './form.tsx';
import { roleLabel, roles } from './labels.ts';

type Policy = Schemas['SecurityPolicy'];
const key = ['settings', 'security-policy'];
const units = { minutes: 60, hours: 3600, days: 86_400 } as const;
type Unit = keyof typeof units;

function split(seconds: number | null): { amount: string; unit: Unit } {
  if (seconds === null) return { amount: '', unit: 'hours' };
  if (seconds % 86_400 === 0) return { amount: String(seconds / 86_400), unit: 'days' };
  if (seconds % 3600 === 0) return { amount: String(seconds / 3600), unit: 'hours' };
  return { amount: String(Math.round(seconds / 60)), unit: 'minutes' };
}

export function SecurityPolicySection() {
  const policy = useQuery({ queryKey: key, queryFn: async () => unwrap(await api.GET('/api/v1/security-policy')) });
  return (
    <section>
      <PageHeader title="Security policy" breadcrumb="Settings">
        <p className="muted">How members must authenticate. Changes apply from every member’s next request.</p>
      </PageHeader>
      {policy.isPending ? (
        <Skeleton lines={5} label="Loading the security policy" />
      ) : policy.error ? (
        <ProblemView error={policy.error} onRetry={() => policy.refetch()} />
      ) : (
        <PolicyForm policy={policy.data} />
      )}
    </section>
  );
}

function PolicyForm({ policy }: { policy: Policy }) {
  const [required, setRequired] = useState<Role[]>(policy.mfa.requiredRoles);
  const initial = split(policy.mfa.maxAgeSeconds);
  const [limited, setLimited] = useState(policy.mfa.maxAgeSeconds !== null);
  const [amount, setAmount] = useState(initial.amount);
  const [unit, setUnit] = useState<Unit>(initial.unit);
  const [builtInTotp, setBuiltInTotp] = useState(policy.mfa.builtInTotp);
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/security-policy', {
          body: {
            mfa: {
              requiredRoles: required,
              maxAgeSeconds: limited ? Math.round(Number(amount) * units[unit]) : null,
              builtInTotp,
            },
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      setRequired(saved.mfa.requiredRoles);
      toast('Security policy saved');
    },
  });
  const errors = fieldErrors(save.error);
  const maxAgeError = errors['mfa.maxAgeSeconds'];
  return (
    <form
      className="card form-card"
      aria-label="Security policy"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <fieldset>
        <legend>Roles that must use multi-factor authentication</legend>
        <div className="checks">
          {roles.map((r) => (
            <label key={r} className="checkbox">
              <input
                type="checkbox"
                checked={r === 'super_admin' || required.includes(r)}
                disabled={r === 'super_admin'}
                aria-describedby={r === 'super_admin' ? 'super-admin-always' : undefined}
                onChange={(event) =>
                  setRequired((list) => (event.target.checked ? [...list, r] : list.filter((x) => x !== r)))
                }
              />
              {roleLabel(r)}
            </label>
          ))}
        </div>
        <p id="super-admin-always" className="muted small">
          Super admins always need MFA: they act in every organization. Approvers are recommended where approvals
          publish to clients.
        </p>
        {errorFor(errors, 'mfa.requiredRoles') ? (
          <span className="field-error">{errorFor(errors, 'mfa.requiredRoles')}</span>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>How recent the second factor must be</legend>
        <div className="stack">
          <label className="checkbox">
            <input type="radio" name="max-age" checked={!limited} onChange={() => setLimited(false)} />
            Any time while the sign-in is valid
          </label>
          <label className="checkbox">
            <input type="radio" name="max-age" checked={limited} onChange={() => setLimited(true)} />
            Only if used recently
          </label>
          {limited ? (
            <div className="row" style={{ alignItems: 'flex-start' }}>
              <Field
                label="Time limit"
                hint="1 minute to 30 days. Older than that, members confirm it is them again."
                error={maxAgeError}
              >
                {(props) => (
                  <input
                    {...props}
                    type="number"
                    min={1}
                    step={1}
                    required
                    value={amount}
                    onChange={(event) => setAmount(event.target.value)}
                    style={{ maxWidth: 120 }}
                  />
                )}
              </Field>
              <label className="field">
                <span>Unit</span>
                <select value={unit} onChange={(event) => setUnit(event.target.value as Unit)}>
                  {Object.keys(units).map((u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={builtInTotp} onChange={(event) => setBuiltInTotp(event.target.checked)} />
        The built-in authenticator app (TOTP) counts as a second factor
      </label>
      {policy.mfa.builtInTotp && !builtInTotp ? (
        <p className="warning">
          Once saved, only your identity provider’s MFA counts: members who rely on the built-in authenticator must sign
          in again with the provider’s MFA, and nobody can enrol a new one.
        </p>
      ) : null}
      {save.error ? <ProblemView error={save.error} compact /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save security policy
        </Button>
      </div>
    </form>
  );
}
