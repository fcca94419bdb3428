import type { UserRole } from '../db/schema/enums.ts';

/** Who is calling, resolved from the users table (or the API key), never from token claims. */
export interface Principal {
  type: 'user' | 'api_key';
  /** The user's id, or the API key's id. */
  id: string;
  /** The user acting, or for an API key the user who created it (content it creates is theirs). */
  userId: string;
  email: string | null;
  role: UserRole;
  /** The organization the user or key belongs to. */
  homeOrganizationId: string;
}

/** Who changes what: a principal, or the platform itself (cron, queue consumers). */
export type Actor =
  | { type: 'user' | 'api_key'; id: string; userId: string; role: UserRole }
  | { type: 'system'; id: null; userId: null; role: 'super_admin' };

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, userId: null, role: 'super_admin' };

export function actorOf(principal: Principal): Actor {
  return { type: principal.type, id: principal.id, userId: principal.userId, role: principal.role };
}
