/**
 * Signing in as a person does: open the admin app, land on the local identity provider's user picker, pick a
 * seeded user, tick "MFA used" when the role needs it, come back signed in.
 */
import type { Page } from 'playwright-core';
import { adminUrl } from './harness.ts';
import { waitForAppIdle } from './wait.ts';

/** The seeded people (scripts/local/seed.ts): one per role in demo (super_admin only there) and in globex. */
export const USERS = {
  superAdmin: 'super-admin@demo.example.com',
  orgAdmin: 'org-admin@demo.example.com',
  editor: 'editor@demo.example.com',
  approver: 'approver@demo.example.com',
  viewer: 'viewer@demo.example.com',
  globexOrgAdmin: 'org-admin@globex.example.com',
  globexEditor: 'editor@globex.example.com',
  globexApprover: 'approver@globex.example.com',
  globexViewer: 'viewer@globex.example.com',
} as const;

/** Roles the organizations' MFA policy covers by default (docs/decisions/0036): their sign-in ticks MFA. */
const MFA_ROLES = ['super-admin', 'org-admin'];

export const organizationOf = (email: string) => email.split('@')[1]!.split('.')[0]!;

/**
 * Signs `email` in and waits for its organization's dashboard (or `path` under it, e.g. 'content').
 * `mfa` overrides whether "MFA used" is ticked.
 */
export async function signIn(page: Page, email: string, options: { path?: string; mfa?: boolean } = {}) {
  const org = organizationOf(email);
  const target = `/o/${org}/${options.path ?? ''}`;
  await page.goto(adminUrl(target));
  await page.getByLabel(email, { exact: true }).check();
  const mfa = options.mfa ?? MFA_ROLES.includes(email.split('@')[0]!);
  if (mfa) await page.getByLabel('MFA used').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/admin/o/${org}`));
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await waitForAppIdle(page);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/sign-in');
}

/** The names of the links in the navigation rail, in order. */
export async function railLinks(page: Page): Promise<string[]> {
  const rail = page.getByRole('navigation', { name: 'Main' });
  // The accessible names (what a screen reader reads; the icons are aria-hidden), from the accessibility tree.
  const tree = await rail.getByRole('list').first().ariaSnapshot();
  return [...tree.matchAll(/- link "([^"]+)"/g)].map((match) => match[1]!);
}
