/**
 * Two people on one item, and leaving with unsaved edits. The editor saves with If-Match: when a colleague
 * saved in between, the save shows what they saved next to what the editor has, and "Overwrite with mine" or
 * "Reload theirs" settles it. Navigating away with edits asks "Keep editing" or "Discard changes".
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { createItem, openItem, SHORT_BODY, save, uniqueTitle } from './editorial.ts';
import { useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { signIn, USERS } from './sign-in.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

const titleBox = (page: Page) => page.getByRole('textbox', { name: 'Title', exact: true });
const bodyBox = (page: Page) => page.getByRole('textbox', { name: 'Body', exact: true });
/** Three short paragraphs: the conflict's line diff shows one changed and two the same. */
const BODY = [
  'Ladders spread maturities over years.',
  'Each rung pays out in turn.',
  'Keep it simple and keep it steady.',
];

const conflictDialog = (page: Page) => page.getByRole('dialog', { name: 'Someone else saved this item' });

/** Adds `text` at the end of the body, as typing there would. */
async function appendToBody(page: Page, text: string) {
  await bodyBox(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  await page.getByText('Unsaved changes', { exact: true }).waitFor();
}

describe('two people editing one item', () => {
  const browser = useBrowser();

  it('the second save shows the conflict; "Overwrite with mine" and "Reload theirs" each settle it', {
    timeout: 180_000,
  }, async () => {
    const mine = browser.page;
    await signIn(mine, USERS.editor);
    const title = uniqueTitle('Bond ladders for a steady income');
    const id = await createItem(mine, { title, paragraphs: BODY });

    // A colleague (the org admin, in a browser of their own) opens the same version and retitles it.
    const theirs = await browser.newPage();
    await signIn(theirs, USERS.orgAdmin);
    await openItem(theirs, id);
    const theirTitle = uniqueTitle('Their title: bond ladders explained');
    await titleBox(theirs).fill(theirTitle);
    await save(theirs, 2);

    // The editor, still on version 1, adds a sentence and saves: the conflict view, not a silent overwrite.
    await appendToBody(mine, ' Mine was added here.');
    await mine.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = conflictDialog(mine);
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Version 2 was saved');
    const titleRow = conflict.getByRole('row', { name: /^Title/ });
    expect(await titleRow.getByRole('cell').allTextContents()).toEqual([theirTitle, title]);
    // The body as a line diff (a paragraph is a line): their last paragraph out, the editor's in.
    const diff = (await conflict.textContent()) ?? '';
    expect(diff).toMatch(/^− Keep it simple and keep it steady\.$/m);
    expect(diff).toMatch(/^\+ Keep it simple and keep it steady\. Mine was added here\.$/m);
    expect(diff).toMatch(/^ {2}Each rung pays out in turn\.$/m);
    await checkAccessibility(mine);
    await screenshot(mine, 'conflict');

    await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
    await conflict.waitFor({ state: 'hidden' });
    await mine.getByRole('status').getByText('Saved as version 3.').waitFor();
    expect(await titleBox(mine).inputValue()).toBe(title);
    // What the colleague now loads is the editor's version, their retitling kept in the history only.
    await openItem(theirs, id);
    expect(await titleBox(theirs).inputValue()).toBe(title);
    expect(await bodyBox(theirs).textContent()).toContain('Mine was added here.');
    expect(await theirs.getByText('Version 3', { exact: true }).count()).toBeGreaterThan(0);

    // Now the other way round: the colleague saves again, the editor's next save conflicts, and the editor
    // takes theirs.
    const secondTitle = uniqueTitle('Their second title on bond ladders');
    await titleBox(theirs).fill(secondTitle);
    await save(theirs, 4);
    await appendToBody(mine, ' This sentence is dropped.');
    await mine.getByRole('button', { name: 'Save', exact: true }).click();
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Version 4 was saved');
    await conflict.getByRole('button', { name: 'Reload theirs' }).click();
    await conflict.waitFor({ state: 'hidden' });
    await mine.getByRole('status').getByText('Loaded version 4.').waitFor();
    expect(await titleBox(mine).inputValue()).toBe(secondTitle);
    expect(await bodyBox(mine).textContent()).not.toContain('This sentence is dropped.');
    expect(await mine.getByText('Unsaved changes', { exact: true }).count()).toBe(0);

    // On top of theirs, the editor's next save goes through with no conflict.
    await appendToBody(mine, ' Added after the reload.');
    await save(mine, 5);
    await openItem(theirs, id);
    expect(await titleBox(theirs).inputValue()).toBe(secondTitle);
    expect(await bodyBox(theirs).textContent()).toContain('Added after the reload.');
  });
});

describe('leaving with unsaved changes', () => {
  const browser = useBrowser();

  it('asks first: "Keep editing" stays with the edit, "Discard changes" leaves and drops it', async () => {
    const page = browser.page;
    await signIn(page, USERS.editor);
    const title = uniqueTitle('Why cash still has a place in a plan');
    const id = await createItem(page, { title, paragraphs: SHORT_BODY });

    const edited = `${title} (edited)`;
    await titleBox(page).fill(edited);
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
    const contentLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Content' });

    await contentLink.click();
    const leave = page.getByRole('dialog', { name: 'Leave with unsaved changes?' });
    await leave.waitFor();
    expect(await leave.textContent()).toContain('Your changes to this item have not been saved.');
    await checkAccessibility(page);
    await leave.getByRole('button', { name: 'Keep editing' }).click();
    await leave.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/admin/o/demo/content/${id}`);
    expect(await titleBox(page).inputValue()).toBe(edited);

    await contentLink.click();
    await leave.waitFor();
    await leave.getByRole('button', { name: 'Discard changes' }).click();
    await waitForPath(page, '/admin/o/demo/content');
    await waitForAppIdle(page);

    // Back on the item: the saved title, and no offer to restore the discarded edit.
    await openItem(page, id);
    expect(await titleBox(page).inputValue()).toBe(title);
    expect(await page.getByRole('button', { name: 'Restore my changes' }).count()).toBe(0);
  });
});
