import type { Action } from '../../auth/session.tsx';

/** The settings sections in the order of the sub-navigation, each with the action that opens it. */
export const settingsSections: readonly { path: string; label: string; action: Action }[] = [
  { path: 'users', label: 'Users and roles', action: 'users.read' },
  { path: 'api-keys', label: 'API keys', action: 'api_keys.manage' },
  { path: 'delivery-tokens', label: 'Delivery tokens', action: 'delivery_tokens.manage' },
  { path: 'webhooks', label: 'Webhooks', action: 'webhooks.manage' },
  { path: 'editorial-policy', label: 'Editorial policy', action: 'policy.manage' },
  { path: 'delivery-settings', label: 'Delivery settings', action: 'delivery_tokens.manage' },
  { path: 'sso', label: 'Single sign-on', action: 'sso.manage' },
  { path: 'security', label: 'Security policy', action: 'security.manage' },
  { path: 'audit-log', label: 'Audit log', action: 'audit.read' },
];
