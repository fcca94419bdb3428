/**
 * Sign-in: by work email (ContentOS finds the organization whose single sign-on owns the domain) or straight
 * through an organization's provider. Both are the API's browser flow (/auth/…, ADR 0035); this page only starts it.
 */
import { useSearchParams } from 'react-router';

export function SignInScreen() {
  const [params] = useSearchParams();
  const returnTo = safeReturn(params.get('return_to'));
  const org = params.get('org') ?? '';
  const error = params.get('error');
  return (
    <main className="sign-in" id="main">
      <section className="sign-in-card" aria-labelledby="sign-in-title">
        <p className="brand">ContentOS</p>
        <h1 id="sign-in-title">Sign in</h1>
        {params.get('signed_out') ? (
          <p role="status" className="notice">
            You have signed out.
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="problem">
            Sign-in did not complete: {error}
          </p>
        ) : null}
        <form method="get" action="/auth/login" className="stack">
          <input type="hidden" name="return_to" value={returnTo} />
          <label className="field">
            <span>Work email</span>
            <input type="email" name="email" autoComplete="email" required />
          </label>
          <button type="submit" className="btn btn-primary">
            Continue with single sign-on
          </button>
        </form>
        <form
          className="stack sign-in-org"
          onSubmit={(event) => {
            event.preventDefault();
            const slug = String(new FormData(event.currentTarget).get('org') ?? '').trim();
            window.location.assign(
              `/auth/${encodeURIComponent(slug)}/login?${new URLSearchParams({ return_to: returnTo })}`,
            );
          }}
        >
          <label className="field">
            <span>Or your organization's ID</span>
            <input name="org" defaultValue={org} autoComplete="organization" required pattern="[a-z0-9-]+" />
          </label>
          <button type="submit" className="btn">
            Sign in to this organization
          </button>
        </form>
      </section>
    </main>
  );
}

/** Only a path of this app: never an absolute URL someone slipped into the link. */
function safeReturn(value: string | null): string {
  return value?.startsWith('/admin/') && !value.startsWith('//') ? value : '/admin/';
}
