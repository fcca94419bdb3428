/**
 * The session as a person meets it: signing out ends it (a protected page then goes to the identity provider),
 * and an address naming another organization leads back to one's own.
 */
import { describe, expect, inject, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { adminUrl, useBrowser } from './harness.ts';
import { signIn, signOut, USERS } from './sign-in.ts';
import { screenshot } from './screenshot.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

describe('the session', () => {
  const browser = useBrowser();

  it('signing out ends the session: a protected page then goes to the identity provider', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor);
    await signOut(page);
    await page.getByText('You have signed out.').waitFor();
    await waitForAppIdle(page);
    await checkAccessibility(page);
    await screenshot(page, 'sign-in');

    await page.goto(adminUrl('/o/demo/content'));
    await page.waitForURL((url) => url.origin === inject('oidcIssuer'));
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel(USERS.editor, { exact: true }).isVisible()).toBe(true);
  });

  it('an address with another organization goes to one’s own', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor);
    await page.goto(adminUrl('/o/globex/content'));
    await waitForPath(page, /^\/admin\/o\/demo\/?$/);
    await waitForAppIdle(page);
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).textContent()).toContain('demo');
    expect(await page.getByText('globex', { exact: false }).count()).toBe(0);
  });
});
