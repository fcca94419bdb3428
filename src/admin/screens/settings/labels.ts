import type { Action, Role } from '../../auth/session.tsx';

export const roles: readonly Role[] = ['super_admin', 'org_admin', 'editor', 'approver', 'viewer'];

export const roleLabels: Record<Role, string> = {
  super_admin: 'Super admin',
  org_admin: 'Organization admin',
  editor: 'Editor',
  approver: 'Approver',
  viewer: 'Viewer',
};

export const roleLabel = (role: string) => roleLabels[role as Role] ?? role;

/** What each action of the API's permission table lets a role do, in words for the roles matrix. */
export const actionLabels: Record<Action, string> = {
  'content.read': 'Read content',
  'content.create': 'Create content',
  'content.update': 'Edit any content',
  'content.update_own': 'Edit own content',
  'content.archive': 'Archive and restore content',
  'content.approve': 'Approve, reject, review compliance',
  'content.publish': 'Publish, schedule, unpublish',
  'policy.manage': 'Manage the editorial policy',
  'security.manage': 'Manage the security policy (MFA)',
  'users.read': 'See users',
  'users.manage': 'Invite and manage users',
  'api_keys.manage': 'Manage API keys',
  'delivery_tokens.manage': 'Manage delivery tokens and settings',
  'webhooks.manage': 'Manage webhooks and their deliveries',
  'audit.read': 'Read the audit log',
  'sso.manage': 'Manage single sign-on',
  'organizations.manage': 'Manage every organization',
  'dead_letters.manage': 'Replay the platform’s dead letters',
};

/** Roles a person may hand out: an org_admin never creates or grants super_admin (the API refuses it). */
export const assignableRoles = (myRole: Role): Role[] =>
  roles.filter((r) => r !== 'super_admin' || myRole === 'super_admin');
