/**
 * Who is signed in and what they may do. The UI reads `can(action)` from GET /api/v1/me/permissions, the
 * API's own permission table, so what a role may not do is not offered (and the API still refuses it).
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { api, type Schemas, unwrap } from '../api/client.ts';

export type Action = Schemas['Permissions']['permissions'][number];
export type Role = Schemas['Permissions']['role'];

export interface Session {
  me: Schemas['Me'];
  role: Role;
  permissions: ReadonlySet<Action>;
  can: (action: Action) => boolean;
  /** The signed-in person's id (null for an API key, which never uses this app). */
  userId: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

export const sessionQueryKey = ['session'] as const;

export function useSessionQuery() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async () => {
      const [me, permissions] = await Promise.all([
        api.GET('/api/v1/me').then(unwrap),
        api.GET('/api/v1/me/permissions').then(unwrap),
      ]);
      return { me, permissions };
    },
    retry: false,
    staleTime: 60_000,
  });
}

export function SessionProvider({ value, children }: { value: Session; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function toSession(me: Schemas['Me'], permissions: Schemas['Permissions']): Session {
  const set = new Set(permissions.permissions);
  return { me, role: permissions.role, permissions: set, can: (a) => set.has(a), userId: me.user?.id ?? null };
}

/** Where the API's own sign-in flow starts for this organization, coming back to `returnTo`. */
export function signInUrl(org: string | undefined, returnTo: string): string {
  const query = new URLSearchParams({ return_to: returnTo }).toString();
  return org ? `/auth/${encodeURIComponent(org)}/login?${query}` : `/admin/sign-in?${query}`;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', headers: { 'X-CSRF': '1' }, credentials: 'same-origin' });
}
