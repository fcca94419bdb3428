import type { UserRole } from '../db/schema/enums.ts';

/**
 * The one permission table. Route guards, service checks, GET /api/v1/me/permissions and the role-matrix
 * test all read it, so what is documented is what is enforced.
 */
export const actions = [
  'content.read',
  'content.create',
  /** Edit any content of the organization. */
  'content.update',
  /** Edit content one created (the specification's "owner or editor" rule for PUT). */
  'content.update_own',
  'content.archive',
  /** Approve or reject submitted content, and review its compliance (editorial workflow). */
  'content.approve',
  /** Publish approved content now or on a schedule, and take it down again. */
  'content.publish',
  /** The organization's editorial policy: approval threshold, prohibited phrases, disclaimer. */
  'policy.manage',
  /** The organization's security policy: which roles need multi-factor authentication, how recent, built-in TOTP. */
  'security.manage',
  'users.read',
  'users.manage',
  'api_keys.manage',
  /** Read-only tokens for the delivery API. */
  'delivery_tokens.manage',
  /** Webhook endpoints, their signing secrets and delivery log (replay, test sends). */
  'webhooks.manage',
  'audit.read',
  /** The organization's single sign-on (OIDC provider, provisioning rules). */
  'sso.manage',
  /** Every organization, created and configured (super_admin only). */
  'organizations.manage',
  /** The platform's dead letters: events the queue gave up on, listed and replayed (super_admin only). */
  'dead_letters.manage',
] as const;

export type Action = (typeof actions)[number];

const read: Action[] = ['content.read'];

export const permissionTable: Readonly<Record<UserRole, readonly Action[]>> = {
  super_admin: actions,
  org_admin: actions.filter((a) => a !== 'organizations.manage' && a !== 'dead_letters.manage'),
  editor: [...read, 'content.create', 'content.update', 'content.update_own', 'content.archive', 'content.publish'],
  // An approver may still edit what it wrote (it may have been an editor then), never others' work.
  approver: [...read, 'content.update_own', 'content.approve', 'content.publish'],
  viewer: read,
};

/**
 * What a check is made against: a role's row of the table, or an explicit set of actions (an API key's:
 * its role's actions that its creator's current role also holds).
 */
export type Grant = UserRole | readonly Action[];

const actionsOf = (grant: Grant): readonly Action[] => (typeof grant === 'string' ? permissionTable[grant] : grant);

export function can(grant: Grant, action: Action): boolean {
  return actionsOf(grant).includes(action);
}

/** The PUT rule: any item with content.update; one's own with content.update_own. */
export function canEditContent(grant: Grant, isOwner: boolean): boolean {
  return can(grant, 'content.update') || (isOwner && can(grant, 'content.update_own'));
}

/**
 * A key acts for its creator, so it may do what its role allows only while the creator may do it too.
 * Roles are not a chain (an editor and an approver each hold an action the other lacks), so the result
 * is a set of actions, not necessarily any role's row; it keeps the table's order.
 */
export function apiKeyPermissions(keyRole: UserRole, creatorRole: UserRole): readonly Action[] {
  const creator = permissionTable[creatorRole];
  return permissionTable[keyRole].filter((action) => creator.includes(action));
}
