/**
 * Home: what the organization's content looks like and what waits for the signed-in person. In the first
 * load, so it stays light: no chart library, each widget its own small query with its own loading and error.
 */
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ActivityWidget } from './ActivityWidget.tsx';
import { CountsWidget } from './CountsWidget.tsx';
import { EngagementWidget } from './EngagementWidget.tsx';
import { ScheduleWidgets } from './ScheduleWidget.tsx';
import { WaitingForMe } from './WaitingForMe.tsx';
import './dashboard.css';

export function DashboardScreen() {
  const { org = '' } = useParams();
  const { me, can } = useSession();
  const name = me.user ? greetingName(me.user.profile, me.user.email) : '';
  return (
    <>
      <PageHeader
        title={name ? `Welcome, ${name}` : 'Dashboard'}
        actions={
          can('content.create') ? (
            <Link className="btn btn-primary" to={`/o/${org}/content/new`}>
              New content
            </Link>
          ) : null
        }
      >
        <p className="muted">{me.organization.name}</p>
      </PageHeader>
      <div className="dashboard">
        <CountsWidget org={org} />
        <section className="dashboard-section" aria-labelledby="waiting-for-me">
          <h2 id="waiting-for-me" className="section-heading">
            Waiting for me
          </h2>
          <div className="dashboard-grid dashboard-grid-2">
            <WaitingForMe org={org} />
          </div>
        </section>
        <section className="dashboard-section" aria-labelledby="publishing">
          <h2 id="publishing" className="section-heading">
            Publishing
          </h2>
          <div className="dashboard-grid">
            <ScheduleWidgets org={org} />
          </div>
        </section>
        <EngagementWidget org={org} />
        {can('audit.read') ? <ActivityWidget org={org} /> : null}
      </div>
    </>
  );
}

function greetingName(profile: Record<string, unknown>, email: string): string {
  const name = profile.displayName ?? profile.name;
  return typeof name === 'string' && name.trim() ? name : email;
}
