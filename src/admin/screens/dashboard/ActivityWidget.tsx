/** The latest changes in the organization, from the audit log (audit.read only). */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client.ts';
import { useOrgUsers, userName } from '../../api/use-org-users.ts';
import { useSession } from '../../auth/session.tsx';
import { Time } from '../../ui/Time.tsx';
import { contentUrl } from '../content-list/list-url.ts';
import { ItemList, Widget } from './Widget.tsx';

type Entry = Schemas['AuditEntry'];

export function ActivityWidget({ org }: { org: string }) {
  const { userId } = useSession();
  const users = useOrgUsers();
  const query = useQuery({
    queryKey: ['audit-log', 'recent'],
    queryFn: () => api.GET('/api/v1/audit-log', { params: { query: { limit: 10 } } }).then(unwrap),
  });
  // Workflow entries record no title: the items' current titles, read once each (archived ones may be gone).
  const contentIds = [
    ...new Set((query.data?.data ?? []).filter((e) => e.entity.type === 'content').map((e) => e.entity.id)),
  ];
  const titleQueries = useQueries({
    queries: contentIds.map((id) => ({
      queryKey: ['content', 'title', id],
      queryFn: () => api.GET('/api/v1/content/{id}', { params: { path: { id } } }).then(unwrap),
      select: (item: Schemas['Content']) => item.title,
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const titles = new Map(contentIds.map((id, i) => [id, titleQueries[i]?.data]));
  const names = new Map((users.data ?? []).map((u) => [u.id, userName(u)]));
  const actorName = (entry: Entry) => {
    if (entry.actor.type === 'system') return 'ContentOS';
    if (entry.actor.id === userId) return 'You';
    if (entry.actor.type === 'api_key') return 'An API key';
    return (entry.actor.id && names.get(entry.actor.id)) ?? 'Someone';
  };
  return (
    <Widget
      title="Recent activity"
      query={query}
      lines={6}
      more={{ to: `/o/${org}/settings/audit-log`, label: 'Audit log' }}
    >
      {(page) => (
        <ItemList empty="No activity recorded yet.">
          {page.data.map((entry) => (
            <li key={entry.id} className="widget-item">
              <div className="widget-item-main">
                <span>
                  <strong>{actorName(entry)}</strong>{' '}
                  {sentences[entry.action] ?? (
                    <>
                      {describe(entry.action)}{' '}
                      <EntityLink org={org} entry={entry} title={titles.get(entry.entity.id)} />
                    </>
                  )}
                </span>
                <span className="small muted">
                  <Time iso={entry.occurredAt} mode="relative" />
                </span>
              </div>
            </li>
          ))}
        </ItemList>
      )}
    </Widget>
  );
}

/** Whole sentences for actions whose entity is not worth naming (sessions, one's own identity). */
const sentences: Record<string, string> = {
  'auth.sign_in': 'signed in',
  'auth.sign_in_refused': 'was refused sign-in',
  'auth.session_revoke': 'ended a session',
  'user.identity_bound': 'linked a sign-in identity',
  'user.mfa_enrolled': 'enrolled in multi-factor authentication',
  'user.mfa_verified': 'verified multi-factor authentication',
  'content.schedule_failed': 'could not publish on schedule',
};

const verbs: Record<string, string> = {
  create: 'created',
  update: 'edited',
  delete: 'deleted',
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  publish: 'published',
  unpublish: 'unpublished',
  schedule: 'scheduled',
  unschedule: 'unscheduled',
  archive: 'archived',
  restore: 'restored',
  compliance: 'reviewed the compliance of',
  version_restore: 'restored a version of',
  rotate_secret: 'rotated the secret of',
  delivery_replay: 'replayed a delivery of',
  test: 'sent a test to',
};

/** "content.approve" → "approved"; anything unknown is said with its own words ("policy update"). */
function describe(action: string): string {
  const [, ...rest] = action.split('.');
  const verb = rest.join('.');
  return verbs[verb] ?? verb.replaceAll('_', ' ');
}

function EntityLink({ org, entry, title: known }: { org: string; entry: Entry; title: string | undefined }) {
  const title = entry.changes.after.title ?? entry.changes.before.title ?? known;
  const label =
    typeof title === 'string' ? title : `${entry.entity.type.replaceAll('_', ' ')} ${entry.entity.id.slice(0, 8)}`;
  if (entry.entity.type === 'content') return <Link to={contentUrl(org, entry.entity.id)}>{label}</Link>;
  return <span>{label}</span>;
}
