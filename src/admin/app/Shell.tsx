/**
 * The frame around every screen: the navigation rail (organization on top, person at the bottom) and the
 * session. Signed out → the organization's sign-in, coming back to this page. A role that needs MFA without
 * it → the step-up screen. A super_admin may look at another organization (X-Organization-Id); switching
 * clears every cached answer, so nothing of one tenant shows in another.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, setOrganizationOverride } from '../api/client.ts';
import { SessionProvider, signInUrl, toSession, useSessionQuery } from '../auth/session.tsx';
import { settingsSections } from '../screens/settings/sections.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { ProblemView } from '../ui/ProblemView.tsx';
import { Skeleton } from '../ui/Skeleton.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { resolveOrganizationId } from './organizations.ts';
import { OrgSwitcher } from './OrgSwitcher.tsx';
import { StepUp } from './StepUp.tsx';
import { UserMenu } from './UserMenu.tsx';

export function Shell() {
  const { org } = useParams();
  const location = useLocation();
  const here = `/admin${location.pathname}${location.search}`;
  const session = useSessionQuery();
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const onUnauthenticated = () => setExpired(true);
    window.addEventListener('cos:unauthenticated', onUnauthenticated);
    return () => window.removeEventListener('cos:unauthenticated', onUnauthenticated);
  }, []);

  if (session.isPending) return <Skeleton lines={8} label="Signing in" />;
  if (session.error instanceof ApiError && session.error.status === 401) {
    if (session.error.problem.stepUp)
      return <StepUp problem={session.error.problem} onVerified={() => session.refetch()} />;
    window.location.assign(signInUrl(org, here));
    return <Skeleton lines={4} label="Redirecting to sign-in" />;
  }
  if (session.error) return <ProblemView error={session.error} onRetry={() => session.refetch()} />;

  const value = toSession(session.data.me, session.data.permissions);
  return (
    <SessionProvider value={value}>
      <TenantGuard org={org!} own={value.me.organization.slug} superAdmin={value.role === 'super_admin'}>
        <div className="shell">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <nav className="rail" aria-label="Main">
            <OrgSwitcher />
            <ul className="rail-links">
              <RailLink to="" end label="Home" icon="⌂" />
              <RailLink to="content" label="Content" icon="▤" />
              <RailLink to="calendar" label="Calendar" icon="▦" />
              <RailLink to="analytics" label="Analytics" icon="◔" />
              {settingsSections.some((section) => value.can(section.action)) ? (
                <RailLink to="settings" label="Settings" icon="⚙" />
              ) : null}
            </ul>
            <UserMenu />
          </nav>
          <main id="main" tabIndex={-1}>
            <Outlet />
          </main>
          <CommandPalette />
        </div>
      </TenantGuard>
      <Dialog open={expired} title="Your session has ended" onClose={() => setExpired(false)}>
        <p>Sign in again to go on. What you have not saved stays in this tab until you come back.</p>
        <p>
          <a className="btn btn-primary" href={signInUrl(org, here)}>
            Sign in again
          </a>
        </p>
      </Dialog>
    </SessionProvider>
  );
}

function RailLink({ to, label, icon, end }: { to: string; label: string; icon: string; end?: boolean }) {
  return (
    <li>
      <NavLink to={to} end={end} className={({ isActive }) => `rail-link${isActive ? ' active' : ''}`}>
        <span aria-hidden="true" className="rail-icon">
          {icon}
        </span>
        {label}
      </NavLink>
    </li>
  );
}

/**
 * The URL's organization must be the person's own (a super_admin may pick any). Another tenant's slug goes to
 * one's own: the API would refuse it anyway, this keeps the address honest.
 */
function TenantGuard({
  org,
  own,
  superAdmin,
  children,
}: {
  org: string;
  own: string;
  superAdmin: boolean;
  children: React.ReactNode;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Ready for which organization: a switch makes the screens wait until the override names the new one.
  const [readyFor, setReadyFor] = useState<string | null>(!superAdmin || org === own ? org : null);
  const ready = readyFor === org || !superAdmin;
  // The organization the query cache holds data for. Emptying it under screens already showing that same
  // organization would cancel their first requests and leave them loading for ever.
  const cachedFor = useRef(readyFor);
  useEffect(() => {
    if (!superAdmin) {
      setOrganizationOverride(null);
      if (org !== own) navigate(`/o/${own}`, { replace: true });
      return;
    }
    let cancelled = false;
    (async () => {
      if (org === own) {
        setOrganizationOverride(null);
      } else {
        const id = await resolveOrganizationId(org);
        if (cancelled) return;
        if (!id) {
          navigate(`/o/${own}`, { replace: true });
          return;
        }
        setOrganizationOverride(id);
      }
      // Nothing cached for one organization may show in another.
      if (cachedFor.current !== org)
        queryClient.removeQueries({
          predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'organizations',
        });
      cachedFor.current = org;
      setReadyFor(org);
    })();
    return () => {
      cancelled = true;
    };
  }, [org, own, superAdmin, navigate, queryClient]);
  if (!superAdmin && org !== own) return null;
  return ready ? children : <Skeleton lines={4} label="Opening the organization" />;
}
