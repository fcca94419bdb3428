/**
 * Each role signs in through the local provider and lands on its organization's dashboard, with a rail that
 * offers only what the role may use, and nothing on the dashboard an accessibility check calls serious.
 */
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { useBrowser } from './harness.ts';
import { railLinks, signIn, USERS } from './sign-in.ts';
import { screenshot } from './screenshot.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

const EVERYONE = ['Home', 'Content', 'Calendar', 'Analytics'];

describe('signing in as each role', () => {
  const browser = useBrowser();

  it.each([
    { role: 'editor', email: USERS.editor, rail: EVERYONE },
    { role: 'approver', email: USERS.approver, rail: EVERYONE },
    { role: 'viewer', email: USERS.viewer, rail: EVERYONE },
    { role: 'org_admin', email: USERS.orgAdmin, rail: [...EVERYONE, 'Settings'] },
  ])('$role lands on the dashboard with the rail the role may use', async ({ email, rail }) => {
    const page = browser.page;
    await signIn(page, email);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/o\/demo\/?$/);
    expect(await railLinks(page)).toEqual(rail);
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).textContent()).toContain(email);
    await checkAccessibility(page);
  });

  it('super_admin switches to globex through the organization switcher', async () => {
    const page = browser.page;
    await signIn(page, USERS.superAdmin);
    expect(await railLinks(page)).toEqual([...EVERYONE, 'Settings']);
    await page.getByRole('combobox', { name: 'Organization' }).selectOption('globex');
    await waitForPath(page, /^\/admin\/o\/globex\/?$/);
    await waitForAppIdle(page);
    // The address changes first; the switcher follows once the organization is open.
    await expect.poll(() => page.getByRole('combobox', { name: 'Organization' }).inputValue()).toBe('globex');
    await checkAccessibility(page);
  });

  it('the dashboard, for the pictures in the README', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor);
    await screenshot(page, 'dashboard');
  });
});
