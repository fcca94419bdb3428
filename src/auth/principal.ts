import type { UserRole } from '../db/schema/enums.ts';
import type { Authentication } from './authentication.ts';
import { actions, type Action } from './permissions.ts';

/** Who is calling, resolved from the users table (or the API key), never from token claims. */
export interface Principal {
  type: 'user' | 'api_key';
  /** The user's id, or the API key's id. */
  id: string;
  /** The user acting, or for an API key the user who created it (content it creates is theirs). */
  userId: string;
  email: string | null;
  /** The user's role, or the role the API key was given. */
  role: UserRole;
  /**
   * What every check reads: the role's row of the permission table, and for an API key only the part its
   * creator's role holds at the time of the request.
   */
  permissions: readonly Action[];
  /** The organization the user or key belongs to. */
  homeOrganizationId: string;
  /** Users only: how they signed in (amr, acr, auth_time, a built-in second factor), for MFA enforcement. */
  authentication?: Authentication;
}

/** Who changes what: a principal, or the platform itself (cron, queue consumers). */
export type Actor =
  | { type: 'user' | 'api_key'; id: string; userId: string; role: UserRole; permissions: readonly Action[] }
  | { type: 'system'; id: null; userId: null; role: 'super_admin'; permissions: readonly Action[] };

export const SYSTEM_ACTOR: Actor = {
  type: 'system',
  id: null,
  userId: null,
  role: 'super_admin',
  permissions: actions,
};

export function actorOf(principal: Principal): Actor {
  const { type, id, userId, role, permissions } = principal;
  return { type, id, userId, role, permissions };
}
