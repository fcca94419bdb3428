/**
 * Every main screen opens for an org admin without an error (nothing thrown in the page, no console error, no
 * problem shown) and with nothing an accessibility check calls serious, each with a screenshot for the README;
 * a viewer is not offered the settings; and the command palette (Ctrl+K) takes a person anywhere by keyboard.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { adminUrl, useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { railLinks, signIn, USERS } from './sign-in.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

/** What went wrong in the page while a test looked at it: uncaught exceptions and console errors. */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** The accessible label of the focused element, read in the page. */
const focusedLabel = () =>
  (
    globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }
  ).document.activeElement?.getAttribute('aria-label') ?? null;

/** The screens (path under /o/demo/, the heading they show) and, for those in the README, the picture's name. */
const SCREENS: { path: string; heading: string; picture?: string }[] = [
  { path: 'content', heading: 'Content' },
  { path: 'calendar', heading: 'Calendar', picture: 'calendar' },
  { path: 'analytics', heading: 'Analytics', picture: 'analytics' },
  { path: 'settings/users', heading: 'Users and roles', picture: 'settings-users' },
  { path: 'settings/api-keys', heading: 'API keys', picture: 'settings-api-keys' },
  { path: 'settings/delivery-tokens', heading: 'Delivery tokens' },
  { path: 'settings/webhooks', heading: 'Webhooks' },
  { path: 'settings/editorial-policy', heading: 'Editorial policy' },
  { path: 'settings/delivery-settings', heading: 'Delivery settings' },
  { path: 'settings/sso', heading: 'Single sign-on' },
  { path: 'settings/security', heading: 'Security policy' },
  { path: 'settings/audit-log', heading: 'Audit log', picture: 'audit-log' },
  { path: 'account', heading: 'My account', picture: 'account' },
];

describe('the main screens', () => {
  const browser = useBrowser();

  it.each(SCREENS)(
    '$path opens without errors and passes the accessibility check',
    async ({ path, heading, picture }) => {
      const page = browser.page;
      // Signed in first: before it, the app's 401s for the session are expected (the browser logs them as errors).
      await signIn(page, USERS.orgAdmin);
      const errors = recordErrors(page);
      await page.goto(adminUrl(`/o/demo/${path}`));
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await waitForAppIdle(page);
      expect(await page.locator('.problem').count(), `a problem is shown on ${path}`).toBe(0);
      await checkAccessibility(page);
      if (picture) await screenshot(page, picture);
      expect(errors).toEqual([]);
    },
  );

  it('a viewer is not offered the settings', async () => {
    const page = browser.page;
    await signIn(page, USERS.viewer);
    expect(await railLinks(page)).not.toContain('Settings');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Go to' });
    await palette.getByRole('combobox', { name: 'Search screens and actions' }).fill('settings');
    const options = await palette.getByRole('option').allTextContents();
    expect(options.filter((o) => /users|api keys|webhooks|audit/i.test(o))).toEqual([]);
    await page.keyboard.press('Escape');

    // Typing the address leads to a page that says why, not to forms the API would refuse.
    await page.goto(adminUrl('/o/demo/settings/webhooks'));
    await page.getByText('Your role has no organization settings to manage.').waitFor();
    expect(await page.getByRole('button', { name: 'Create webhook' }).count()).toBe(0);
    await checkAccessibility(page);
  });

  it('Ctrl+K opens the command palette and Enter goes to the chosen screen', async () => {
    const page = browser.page;
    await signIn(page, USERS.orgAdmin);
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Go to' });
    const search = palette.getByRole('combobox', { name: 'Search screens and actions' });
    await search.waitFor();
    // Focus starts in the search box, so typing searches straight away.
    await expect.poll(() => page.evaluate(focusedLabel)).toBe('Search screens and actions');
    await checkAccessibility(page);

    await page.keyboard.type('audit');
    await palette.getByRole('option', { name: 'Audit log', selected: true }).waitFor();
    await page.keyboard.press('Enter');
    await waitForPath(page, '/admin/o/demo/settings/audit-log');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await palette.waitFor({ state: 'detached' });

    // The arrow keys move through the matches: the second "Content" match is "New content".
    await page.keyboard.press('Control+k');
    await search.waitFor();
    await page.keyboard.type('content');
    await page.keyboard.press('ArrowDown');
    await palette.getByRole('option', { name: 'New content', selected: true }).waitFor();
    await page.keyboard.press('Enter');
    await waitForPath(page, '/admin/o/demo/content/new');
    await waitForAppIdle(page);
  });
});
