/**
 * The organization's people, for showing who did something and for "creator" filters. Read only with
 * users.read (others see ids as "someone"); the first 100 active and inactive users are plenty for names.
 */
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { api, type Schemas, unwrap } from './client.ts';

export type OrgUser = NonNullable<Schemas['User']>;

export function useOrgUsers() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['users', 'names'],
    queryFn: () => api.GET('/api/v1/users', { params: { query: { limit: 100 } } }).then(unwrap),
    enabled: can('users.read'),
    staleTime: 5 * 60_000,
    select: (page) => page.data.filter((user): user is OrgUser => user !== null),
  });
}

/** A person's name as the profile gives it, else their email. */
export function userName(user: OrgUser): string {
  const name = user.profile.displayName ?? user.profile.name;
  return typeof name === 'string' && name.trim() ? name : user.email;
}
