/**
 * One item's way from an editor's first keystroke to the delivery API, through the admin app as people use
 * it: the editor writes it (live score and preview), saves and submits it; an approver finds it in the
 * content list, records a compliance verdict, approves and publishes it; a delivery token made in the
 * settings then reads it from /delivery/v1/demo/content/<id>.
 */
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import {
  approveCompliance,
  createDraft,
  currentStep,
  fillNewItem,
  GOOD_BODY,
  openFromReviewList,
  qualityPanel,
  runWorkflowAction,
  uniqueTitle,
  waitForQuality,
  workflowPanel,
} from './editorial.ts';
import { adminUrl, baseUrl, useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { signIn, USERS } from './sign-in.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

describe('the editorial flow', () => {
  const browser = useBrowser();
  // The steps build on one another: one item, one token, in order.
  const title = uniqueTitle('Index funds spread the risk of one bad year');
  let id = '';
  let token = '';

  it('an editor writes an item with a live score and preview, saves it and submits it for review', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor, { path: 'content/new' });
    await page.getByRole('textbox', { name: 'Body', exact: true }).waitFor();
    await waitForAppIdle(page);
    expect(await page.getByText('Not saved yet').isVisible()).toBe(true);

    await fillNewItem(page, { title, type: 'Education', platforms: ['web', 'newsletter'], paragraphs: GOOD_BODY });
    // The preview renders the body as delivery consumers would, paragraph by paragraph.
    const preview = page.getByRole('article', { name: 'Preview' });
    await preview.getByText(GOOD_BODY[2]!).waitFor();
    expect(await preview.getByRole('paragraph').count()).toBe(GOOD_BODY.length);
    // The API's dry run scores the text as typed: this one meets the default threshold.
    expect(await waitForQuality(page)).toBe('Meets the approval threshold (7)');
    expect(
      await qualityPanel(page)
        .getByRole('row', { name: /^Length/ })
        .textContent(),
    ).toContain('3/3');
    await checkAccessibility(page);

    id = await createDraft(page);
    await page.getByRole('status').getByText('Created as a draft.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    expect(await currentStep(page)).toBe('Draft');
    expect(await page.getByRole('textbox', { name: 'Body', exact: true }).textContent()).toContain(
      'Keep it simple and keep it steady.',
    );

    // An edit, saved: the version moves on and the page says so.
    await page.getByRole('textbox', { name: 'Body', exact: true }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Start small.');
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved as version 2.').waitFor();
    await waitForAppIdle(page);
    await checkAccessibility(page);
    await screenshot(page, 'editor');

    await runWorkflowAction(page, 'Submit for review', 'Submit', { step: 'In review' });
    // Editors cannot approve: the button says why instead of vanishing.
    const approve = workflowPanel(page).getByRole('button', { name: 'Approve', exact: true });
    expect(await approve.getAttribute('aria-disabled')).toBe('true');
  });

  it('an approver finds it in the list, reviews compliance, approves and publishes it', async () => {
    expect(id, 'the editor step created the item').not.toBe('');
    const page = browser.page;
    await signIn(page, USERS.approver);
    await checkAccessibility(page);
    await screenshot(page, 'dashboard-approver');

    await openFromReviewList(page, title);
    expect(new URL(page.url()).pathname).toBe(`/admin/o/demo/content/${id}`);
    expect(await currentStep(page)).toBe('In review');

    await approveCompliance(page);
    // The panel as the approver sees it now: compliant, above the threshold, Approve offered.
    await workflowPanel(page).getByRole('button', { name: 'Approve', exact: true }).scrollIntoViewIfNeeded();
    expect(
      await workflowPanel(page).getByRole('paragraph').filter({ hasText: 'Next: approval.' }).textContent(),
    ).toContain('You can do this now.');
    await screenshot(page, 'workflow-panel');
    await runWorkflowAction(page, 'Approve', 'Approve', { step: 'Approved' });
    await runWorkflowAction(page, 'Publish now', 'Publish now', { step: 'Published' });
    await checkAccessibility(page);
  });

  it('the content list shows it as published, compliant and scored', async () => {
    expect(id).not.toBe('');
    const page = browser.page;
    await signIn(page, USERS.editor, { path: 'content?status=published' });
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((cell) => cell.trim());
    expect(cells).toContain('Published');
    expect(cells).toContain('Compliant');
    // Its quality score, at or above the threshold it was approved against.
    expect(cells.some((cell) => /^([7-9]\.\d|10\.0)$/.test(cell))).toBe(true);
    await checkAccessibility(page);
    await screenshot(page, 'content-list');
  });

  it('an org admin makes a delivery token in the settings; the delivery API then serves the item', async () => {
    expect(id).not.toBe('');
    const page = browser.page;
    await signIn(page, USERS.orgAdmin, { path: 'settings/delivery-tokens' });
    await page.getByRole('button', { name: 'Create delivery token' }).click();
    const create = page.getByRole('dialog', { name: /delivery token/i });
    await create.getByRole('textbox', { name: 'Name' }).fill(`Editorial flow test ${title.slice(-8)}`);
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const secretDialog = page.getByRole('dialog', { name: /^Delivery token created/ });
    await secretDialog.waitFor();
    token = ((await secretDialog.getByRole('code').textContent()) ?? '').trim();
    expect(token).toMatch(/^cosd_/);
    await secretDialog.getByRole('checkbox', { name: 'I’ve stored it' }).check();
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    await secretDialog.waitFor({ state: 'hidden' });

    // Publication reaches the delivery store through the queue: it may take a moment.
    const url = `${baseUrl()}/delivery/v1/demo/content/${id}`;
    let last = { status: 0, body: '' };
    await expect
      .poll(
        async () => {
          const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
          last = { status: response.status, body: await response.text() };
          return last.status;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(200);
    const item = JSON.parse(last.body) as { id: string; title: string; body: string; platforms: string[] };
    expect(item.id).toBe(id);
    expect(item.title).toBe(title);
    expect(item.platforms.toSorted()).toEqual(['newsletter', 'web']);
    expect(item.body).toContain('Keep it simple and keep it steady. Start small.');

    // Without the token the same address is refused (public access is off by default).
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
  });

  it('the editor opens the published item: the panel offers Unpublish and says the next step is done', async () => {
    expect(id).not.toBe('');
    const page = browser.page;
    await signIn(page, USERS.editor);
    await page.goto(adminUrl(`/o/demo/content/${id}`));
    await waitForPath(page, `/admin/o/demo/content/${id}`);
    await workflowPanel(page).waitFor();
    await waitForAppIdle(page);
    expect(await currentStep(page)).toBe('Published');
    const unpublish = workflowPanel(page).getByRole('button', { name: 'Unpublish', exact: true });
    expect(await unpublish.getAttribute('aria-disabled')).toBeNull();
  });
});
