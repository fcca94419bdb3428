/**
 * An item's versions as an editor meets them: two versions compared side by side with the changed words
 * marked, and an older version restored through a confirm that says the item becomes a draft needing approval
 * again; the new draft carries the old body.
 */
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { callApi, uniqueSuffix } from './api.ts';
import { adminUrl, useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { signIn, USERS } from './sign-in.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

interface Content {
  id: string;
  version: number;
  status: string;
  title: string;
  body: string;
}

const FIRST_BODY = '## Oil\n\nBrent slipped as inventories built for a third week.\n\nTraders watch the OPEC meeting.';
const LAST_BODY = '## Oil\n\nBrent rallied as inventories fell for a third week.\n\nTraders watch the OPEC meeting.';

describe('versions', () => {
  const browser = useBrowser();

  it('compares two versions side by side and restores an older one as a new draft', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor);
    const title = `Oil weekly ${uniqueSuffix()}`;
    // Three versions: the first body, a new title, then the body rewritten.
    const created = await callApi<Content>(page, 'POST', '/api/v1/content', {
      body: { type: 'market_update', title, body: FIRST_BODY, platforms: ['web'] },
    });
    await callApi(page, 'PUT', `/api/v1/content/${created.id}`, {
      body: { title: `${title} (revised)` },
      headers: { 'If-Match': '"1"' },
    });
    const third = await callApi<Content>(page, 'PUT', `/api/v1/content/${created.id}`, {
      body: { body: LAST_BODY },
      headers: { 'If-Match': '"2"' },
    });
    expect(third.version).toBe(3);

    await page.goto(adminUrl(`/o/demo/content/${created.id}/versions`));
    await page.getByRole('heading', { name: `Versions of “${title} (revised)”` }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    for (const n of [1, 2, 3]) await timeline.getByRole('radio', { name: `Version ${n} on the left` }).waitFor();

    // By default the newest version against the one before it; pick version 1 on the left instead.
    const comparison = page.getByRole('region', { name: /^Comparing version/ });
    await comparison.getByRole('heading', { name: 'Comparing version 2 (left) with version 3 (right)' }).waitFor();
    // The radios follow the URL (?a=&b=), which the router updates in a transition: click, then wait for it.
    const left1 = timeline.getByRole('radio', { name: 'Version 1 on the left' });
    await left1.click();
    await expect.poll(() => left1.isChecked()).toBe(true);
    await waitForPath(page, /\/versions$/);
    expect(new URL(page.url()).searchParams.get('a')).toBe('1');
    await comparison.getByRole('heading', { name: 'Comparing version 1 (left) with version 3 (right)' }).waitFor();
    // The quality score is re-computed with the body, so it may change too.
    await comparison.getByText(/^\d fields changed: Title, .*Body/).waitFor();

    // The body side by side: the changed words marked on each side, the unchanged line left alone.
    const body = comparison.getByRole('region', { name: 'Body' });
    const diff = body.getByRole('table', { name: 'Body, version 1 on the left, version 3 on the right' });
    await diff.waitFor();
    const removed = (await diff.locator('del').allTextContents()).join('|');
    const added = (await diff.locator('ins').allTextContents()).join('|');
    expect(removed).toContain('slipped');
    expect(removed).toContain('built');
    expect(added).toContain('rallied');
    expect(added).toContain('fell');
    expect(removed).not.toContain('Traders');
    expect(added).not.toContain('Brent');
    const title1 = comparison.getByRole('region', { name: 'Title' });
    await title1.getByText(`Version 1: ${title}`, { exact: true }).waitFor();
    await title1.getByText(`Version 3: ${title} (revised)`, { exact: true }).waitFor();
    await waitForAppIdle(page);
    await checkAccessibility(page);
    await screenshot(page, 'versions');

    // Restore version 1: the confirm names the consequence before anything is written.
    await timeline.getByRole('button', { name: 'Restore version 3' }).focus();
    expect(await timeline.getByRole('button', { name: 'Restore version 3' }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    await timeline.getByRole('button', { name: 'Restore version 1' }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore version 1' });
    await confirm.waitFor();
    const consequence = await confirm.textContent();
    expect(consequence).toContain('A new version 4 is written');
    expect(consequence).toContain('becomes a draft');
    expect(consequence).toContain('needs review and approval again');
    await confirm.getByLabel('Why (optional)').fill('Back to the first reading');
    await checkAccessibility(page);
    await confirm.getByRole('button', { name: 'Restore as new draft' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('Version 1 restored as version 4, a draft').waitFor();

    // The timeline gains version 4, compared with the version it came from.
    await timeline.getByRole('radio', { name: 'Version 4 on the right' }).waitFor();
    await comparison.getByRole('heading', { name: 'Comparing version 1 (left) with version 4 (right)' }).waitFor();
    await timeline.getByText('“restored from version 1: Back to the first reading”').waitFor();
    await comparison.getByText('No field differs between these versions.').waitFor();
    // Like the radios, the checkbox follows the URL (?all=1): click, then wait for it.
    const changedOnly = comparison.getByRole('checkbox', { name: 'Changed fields only' });
    await changedOnly.click();
    await expect.poll(() => changedOnly.isChecked()).toBe(false);
    const restoredBody = comparison.getByRole('region', { name: 'Body' });
    await expect.poll(() => restoredBody.locator('pre').textContent()).toBe(FIRST_BODY);

    const restored = await callApi<Content>(page, 'GET', `/api/v1/content/${created.id}`);
    expect(restored.version).toBe(4);
    expect(restored.status).toBe('draft');
    expect(restored.body).toBe(FIRST_BODY);
    expect(restored.title).toBe(title);
  });
});
