/**
 * My account: who I am here (email, role, organization), my browser sessions (end the others; this one is
 * marked), and my second factor (enrol the built-in authenticator, or remove it).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pill } from '../../ui/Pill.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { roleLabel } from '../settings/labels.ts';
import '../settings/settings.css';
import { MfaCard } from './MfaCard.tsx';

export default function AccountScreen() {
  const { me, role } = useSession();
  return (
    <>
      <PageHeader title="My account" />
      <div className="stack" style={{ gap: 20, maxWidth: 1100 }}>
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="kv">
            <dt>Email</dt>
            <dd>{me.user?.email ?? me.apiKey?.name}</dd>
            <dt>Role</dt>
            <dd>{roleLabel(role)}</dd>
            <dt>Organization</dt>
            <dd>
              {me.organization.name} <code className="muted small">{me.organization.slug}</code>
            </dd>
            <dt>Status</dt>
            <dd>{me.user ? <Pill value={me.user.status} /> : '—'}</dd>
            <dt>Last sign-in</dt>
            <dd>
              <Time iso={me.user?.lastLogin} />
            </dd>
          </dl>
          <p className="muted small">Your role and status are managed by an organization admin.</p>
        </section>
        <MfaCard />
        <Sessions />
      </div>
    </>
  );
}

type Session = Schemas['Session'];

/** A session ends at its idle limit or its absolute limit, whichever comes first. */
const earliest = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

function Sessions() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [ending, setEnding] = useState<Session | 'others' | null>(null);
  const sessions = useQuery({
    queryKey: ['account', 'sessions'],
    queryFn: async () => unwrap(await api.GET('/api/v1/me/sessions')),
  });
  const others = sessions.data?.data.filter((s) => !s.current) ?? [];
  const end = useMutation({
    mutationFn: async (targets: Session[]) => {
      await Promise.all(
        targets.map(async (s) =>
          unwrap(await api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id: s.id } } })),
        ),
      );
      return targets.length;
    },
    onSuccess: (count) => {
      queryClient.invalidateQueries({ queryKey: ['account', 'sessions'] });
      toast(count === 1 ? 'Session ended' : `${count} sessions ended`);
      setEnding(null);
    },
  });
  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="sessions-title">My sessions</h2>
        <Button
          onClick={() => setEnding('others')}
          disabledReason={others.length === 0 ? 'You have no other sessions.' : null}
        >
          Sign out everywhere else
        </Button>
      </div>
      {sessions.error ? (
        <ProblemView error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">My browser sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">IP address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">MFA</th>
                <th scope="col">Ends</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            {sessions.isPending ? (
              <TableSkeleton rows={2} columns={7} />
            ) : (
              <tbody>
                {sessions.data.data.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <span title={s.userAgent ?? undefined}>{describeDevice(s.userAgent)}</span>{' '}
                      {s.current ? <Pill value="active" label="This session" /> : null}
                    </td>
                    <td>{s.ip ?? <span className="muted">Unknown</span>}</td>
                    <td>
                      <Time iso={s.createdAt} />
                    </td>
                    <td>
                      <Time iso={s.lastSeenAt} mode="relative" />
                    </td>
                    <td>{s.mfa ? 'Yes' : 'No'}</td>
                    <td>
                      <Time iso={earliest(s.idleExpiresAt, s.expiresAt)} />
                    </td>
                    <td>
                      <Button
                        className="btn-small"
                        // The name starts with the visible "End session", as speech input users say what they see.
                        aria-label={
                          s.current ? 'End session (this browser)' : `End session on ${describeDevice(s.userAgent)}`
                        }
                        disabledReason={s.current ? 'This is the session you are using: sign out instead.' : null}
                        onClick={() => setEnding(s)}
                      >
                        End session
                      </Button>
                    </td>
                  </tr>
                ))}
                {sessions.data.data.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="empty-state">
                      No browser sessions (you are using a token).
                    </td>
                  </tr>
                ) : null}
              </tbody>
            )}
          </table>
        </div>
      )}
      <ConfirmDialog
        open={ending !== null}
        title={ending === 'others' ? `End ${others.length} other sessions?` : 'End this session?'}
        consequence={
          ending === 'others'
            ? 'Every other browser signed in as you is signed out at once; unsaved work there is lost. This session stays signed in.'
            : `The browser (${typeof ending === 'object' && ending ? describeDevice(ending.userAgent) : ''}) is signed out at once; unsaved work there is lost.`
        }
        confirmLabel={ending === 'others' ? 'End other sessions' : 'End session'}
        danger
        busy={end.isPending}
        onConfirm={() =>
          end.mutate(ending === 'others' ? others : typeof ending === 'object' && ending ? [ending] : [])
        }
        onCancel={() => {
          setEnding(null);
          end.reset();
        }}
      >
        {end.error ? <ProblemView error={end.error} compact /> : null}
      </ConfirmDialog>
    </section>
  );
}
