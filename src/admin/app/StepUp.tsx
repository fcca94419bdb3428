/**
 * The organization requires multi-factor authentication of this role and the session has none (ADR 0036): sign
 * in again through the provider asking for it, or, where the organization allows, enter a code of the built-in
 * authenticator for this session.
 */
import { useState } from 'react';
import { api, type Problem, unwrap } from '../api/client.ts';
import { Button } from '../ui/Button.tsx';
import { ProblemView } from '../ui/ProblemView.tsx';

export function StepUp({ problem, onVerified }: { problem: Problem; onVerified: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const stepUp = problem.stepUp!;
  return (
    <section className="sign-in-card" aria-labelledby="step-up-title">
      <h1 id="step-up-title">Confirm it is you</h1>
      <p>{problem.detail}</p>
      {stepUp.url ? (
        <p>
          <a className="btn btn-primary" href={stepUp.url}>
            Sign in with multi-factor authentication
          </a>
        </p>
      ) : null}
      {stepUp.verify ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            try {
              unwrap(await api.POST('/api/v1/me/mfa/verify', { body: { code: code.trim() } }));
              onVerified();
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <label className="field">
            <span>Authenticator code</span>
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              required
            />
          </label>
          <Button type="submit" variant="primary" busy={busy}>
            Verify
          </Button>
          {error ? <ProblemView error={error} compact /> : null}
        </form>
      ) : null}
    </section>
  );
}
