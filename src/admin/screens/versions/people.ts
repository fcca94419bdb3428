/**
 * Who an author or actor id is. Only org admins may list users (users.read); everyone else sees "You" for
 * their own changes and a short id for others' rather than a name the API would not give them.
 */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';

export interface Author {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
}

export function usePeople(): (author: Author) => string {
  const { can, userId } = useSession();
  const { org } = useParams();
  const users = useQuery({
    queryKey: ['people', org],
    enabled: can('users.read'),
    staleTime: 300_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 100 } } })).data,
  });
  return (author) => {
    if (author.type === 'system') return 'ContentOS (scheduler)';
    if (author.id && author.id === userId) return 'You';
    const user = users.data?.find((u) => u?.id === author.id);
    if (user) {
      const name = typeof user.profile.name === 'string' ? user.profile.name : null;
      return name ? `${name} (${user.email})` : user.email;
    }
    const short = author.id ? author.id.slice(0, 8) : 'unknown';
    return author.type === 'api_key' ? `API key ${short}` : `User ${short}`;
  };
}
