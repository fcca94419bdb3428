import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { signOut, useSession } from '../auth/session.tsx';
import { statusLabel } from '../ui/Pill.tsx';

/** Who is signed in, as what, and the way out. Signing out ends the session on the server, then forgets all. */
export function UserMenu() {
  const { me, role } = useSession();
  const queryClient = useQueryClient();
  return (
    <div className="user-menu">
      <Link to="account" className="user-link">
        <span className="avatar" aria-hidden="true">
          {(me.user?.email ?? '?').slice(0, 1).toUpperCase()}
        </span>
        <span>
          <span className="user-email">{me.user?.email ?? me.apiKey?.name}</span>
          <span className="muted small">{statusLabel(role)}</span>
        </span>
      </Link>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={async () => {
          await signOut();
          queryClient.clear();
          window.location.assign(`/admin/sign-in?signed_out=1&org=${encodeURIComponent(me.organization.slug)}`);
        }}
      >
        Sign out
      </button>
    </div>
  );
}
