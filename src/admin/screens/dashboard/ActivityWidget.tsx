/** The latest changes in the organization, from the audit log (audit.read only). */
import { useQuery } from '@tanstack/react-query';
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
                  <strong>{actorName(entry)}</strong> {describe(entry.action)} <EntityLink org={org} entry={entry} />
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

/** "content.version_restore" → "version restore"; the entity type is said by the link. */
function describe(action: string): string {
  const [, ...verb] = action.split('.');
  const words = verb.join(' ').replaceAll('_', ' ');
  const past: Record<string, string> = {
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
  };
  return past[words] ?? words;
}

function EntityLink({ org, entry }: { org: string; entry: Entry }) {
  const title = entry.changes.after.title ?? entry.changes.before.title;
  const label =
    typeof title === 'string' ? title : `${entry.entity.type.replaceAll('_', ' ')} ${entry.entity.id.slice(0, 8)}`;
  if (entry.entity.type === 'content') return <Link to={contentUrl(org, entry.entity.id)}>{label}</Link>;
  return <span>{label}</span>;
}
