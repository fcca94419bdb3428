/**
 * Settings (/o/:org/settings/*): a sub-navigation of the sections this role may use (by can()), each its own
 * file, and /settings alone opens the first of them. A section the role may not use is not linked, and its URL
 * says so instead of showing a form the API would refuse.
 */
import type { ReactElement } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { AuditLogSection } from './AuditLogSection.tsx';
import { DeliverySettingsSection } from './DeliverySettingsSection.tsx';
import { DeliveryTokensSection } from './DeliveryTokensSection.tsx';
import { EditorialPolicySection } from './EditorialPolicySection.tsx';
import { SecurityPolicySection } from './SecurityPolicySection.tsx';
import { settingsSections } from './sections.ts';
import './settings.css';
import { SsoSection } from './SsoSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import { WebhookDetail } from './WebhookDetail.tsx';
import { WebhooksSection } from './WebhooksSection.tsx';

const screens: Record<string, ReactElement> = {
  users: <UsersSection />,
  'api-keys': <ApiKeysSection />,
  'delivery-tokens': <DeliveryTokensSection />,
  webhooks: <WebhooksSection />,
  'editorial-policy': <EditorialPolicySection />,
  'delivery-settings': <DeliverySettingsSection />,
  sso: <SsoSection />,
  security: <SecurityPolicySection />,
  'audit-log': <AuditLogSection />,
};

export default function SettingsScreen() {
  const { can } = useSession();
  // Absolute links: inside the settings/* splat route a relative link would resolve against the splat.
  const { org } = useParams();
  const allowed = settingsSections.filter((s) => can(s.action));
  if (allowed.length === 0) {
    return (
      <>
        <PageHeader title="Settings" />
        <p className="notice">
          Your role has no organization settings to manage. An organization admin manages users, keys, webhooks and
          policies; your own sign-in and sessions are under <Link to={`/o/${org}/account`}>My account</Link>.
        </p>
      </>
    );
  }
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings">
        <h2>Settings</h2>
        <ul>
          {allowed.map((s) => (
            <li key={s.path}>
              <NavLink
                to={`/o/${org}/settings/${s.path}`}
                className={({ isActive }) => (isActive ? 'active' : undefined)}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-section">
        <Routes>
          <Route index element={<Navigate to={allowed[0]!.path} replace />} />
          {allowed.map((s) => (
            <Route key={s.path} path={s.path} element={screens[s.path]} />
          ))}
          {can('webhooks.manage') ? <Route path="webhooks/:id" element={<WebhookDetail />} /> : null}
          <Route path="*" element={<NotAllowed />} />
        </Routes>
      </div>
    </div>
  );
}

function NotAllowed() {
  return (
    <>
      <PageHeader title="Not available" breadcrumb="Settings" />
      <p className="notice">
        This settings page does not exist, or your role may not use it. The sections you may use are listed on the left.
      </p>
    </>
  );
}
