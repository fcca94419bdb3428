/**
 * What the editorial-flow tests do as a person does it: write an item in the editor, move it through the
 * workflow panel, open it from the content list, and read why an action is unavailable. Everything goes
 * through what the screen shows (roles, labels, accessible names), never the app's internals.
 */
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { adminUrl } from './harness.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

/** A title no other test (or earlier run on the same database) has: 30–90 characters, the scorer's ideal. */
export function uniqueTitle(topic: string): string {
  return `${topic} ${randomBytes(4).toString('hex')}`.padEnd(30, '.').slice(0, 90);
}

/**
 * A body that meets the default approval threshold (7 of 10): three paragraphs, over 150 plain words in
 * short sentences (an easy Flesch reading ease), nothing the organization prohibits.
 */
export const GOOD_BODY = [
  'An index fund holds a small part of many firms at once. When one firm has a bad year, the rest can make up ' +
    'for it. That is why many people start with a broad fund. The fees are low and the plan is easy to follow. ' +
    'You buy a little of the whole market each month and then you wait.',
  'Prices go up and down from day to day. Over a long time, these swings tend to even out. A fund does not ' +
    'promise a gain, and you can lose money. Still, it is a calm way to begin. You do not need to pick the one ' +
    'firm that will win, and you do not need to watch the news each hour.',
  'Before you buy, read what the fund holds and what it costs. Check how long you plan to keep the money there. ' +
    'Money you need next year is best kept in cash. Money you will not touch for ten years can ride out the ' +
    'bad days. Keep it simple and keep it steady.',
];

/** Too short to meet the threshold: a few words score far below 7. */
export const SHORT_BODY = ['A short note on rates. More to follow next week.'];

export interface NewItem {
  title: string;
  type?: string;
  platforms?: string[];
  paragraphs: string[];
}

/** The editor's sidebar section with the workflow panel (a region named by its heading). */
export const workflowPanel = (page: Page) => page.getByRole('region', { name: 'Workflow', exact: true });
/** The live quality score's part of the sidebar. */
export const qualityPanel = (page: Page) => page.getByRole('region', { name: 'Quality and compliance' });

/** Types `paragraphs` into the rich body editor as keystrokes, Enter between paragraphs. */
export async function typeBody(page: Page, paragraphs: string[]) {
  const body = page.getByRole('textbox', { name: 'Body', exact: true });
  await body.click();
  for (const [index, paragraph] of paragraphs.entries()) {
    if (index > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(paragraph);
  }
}

/** Fills a new item's fields on /content/new (already open). */
export async function fillNewItem(page: Page, item: NewItem) {
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(item.title);
  await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: item.type ?? 'Education' });
  const platforms = page.getByRole('group', { name: 'Platforms' });
  for (const platform of item.platforms ?? ['web']) {
    const box = platforms.getByRole('checkbox', { name: platform, exact: true });
    if ((await box.count()) > 0) await box.check();
    else {
      await platforms.getByRole('textbox', { name: 'New platform' }).fill(platform);
      await platforms.getByRole('button', { name: 'Add platform' }).click();
      await expect.poll(() => box.isChecked()).toBe(true);
    }
  }
  await typeBody(page, item.paragraphs);
}

/** Clicks "Create draft" and waits for the new item's address; returns its id. */
export async function createDraft(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create draft' }).click();
  await waitForPath(page, /\/admin\/o\/demo\/content\/[0-9a-f-]{36}$/);
  await workflowPanel(page).waitFor();
  await waitForAppIdle(page);
  return new URL(page.url()).pathname.split('/').at(-1)!;
}

/** Opens /content/new, writes `item` and creates it as a draft; returns its id. */
export async function createItem(page: Page, item: NewItem): Promise<string> {
  await page.goto(adminUrl('/o/demo/content/new'));
  await page.getByRole('textbox', { name: 'Body', exact: true }).waitFor();
  await waitForAppIdle(page);
  await fillNewItem(page, item);
  await waitForQuality(page);
  return createDraft(page);
}

/** Until the live score is for the text on screen (not "Updating…"); returns its threshold sentence. */
export async function waitForQuality(page: Page): Promise<string> {
  const panel = qualityPanel(page);
  await panel.getByText('Scored by the API as you type; nothing is saved.').waitFor();
  return (await panel.getByText(/(Meets|Below) the approval threshold/).textContent()) ?? '';
}

/**
 * Where the item stands: the stepper's step marked aria-current, as a screen reader reads it ("In review
 * (current)"), without the step's number, which is only drawn.
 */
export async function currentStep(page: Page): Promise<string> {
  const current = page.getByRole('list', { name: 'Workflow status' }).locator('[aria-current="step"]');
  const text = ((await current.textContent()) ?? '').trim();
  const match = /^(?:\d+|✓)?\s*(.+?)\s*\(current\)$/.exec(text);
  expect(match, `the current step reads "${text}"`).not.toBeNull();
  return match![1]!;
}

/**
 * Runs a workflow action from the panel: its button, then the confirm in its dialog (after `fill` sets up
 * the dialog's fields), then waits for the dialog to close and the stepper to reach `step`.
 */
export async function runWorkflowAction(
  page: Page,
  button: string,
  confirm: string,
  options: { dialog?: string; step?: string; fill?: (dialog: Locator) => Promise<void> } = {},
) {
  await workflowPanel(page).getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: options.dialog ?? button });
  await dialog.waitFor();
  await options.fill?.(dialog);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  if (options.step) await expect.poll(() => currentStep(page)).toBe(options.step);
  await waitForAppIdle(page);
}

/** Records an "Approve" compliance verdict through "Review compliance". */
export async function approveCompliance(page: Page) {
  await runWorkflowAction(page, 'Review compliance', 'Record verdict', {
    fill: async (dialog) => dialog.getByRole('radio', { name: /^Approve/ }).check(),
  });
  await page.getByText('Compliant', { exact: true }).first().waitFor();
}

/**
 * The content list filtered to items in review, newest change first (as a person sets it up: the Status
 * filter, then the Updated column), then the item titled `title` opened from it.
 */
export async function openFromReviewList(page: Page, title: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Content' }).click();
  await waitForPath(page, '/admin/o/demo/content');
  await waitForAppIdle(page);
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'In review' });
  await page.getByRole('list', { name: 'Filters in force' }).waitFor();
  await waitForAppIdle(page);
  const link = page.getByRole('link', { name: title, exact: true });
  await link.click();
  await waitForPath(page, /\/admin\/o\/demo\/content\/[0-9a-f-]{36}$/);
  await workflowPanel(page).waitFor();
  await waitForAppIdle(page);
}

/**
 * A disabled action as assistive technology meets it: marked disabled, still focusable, and its reason is
 * its accessible description (aria-describedby) and a tooltip that shows on focus. Returns the reason.
 */
export async function disabledReasonOf(button: Locator): Promise<string> {
  expect(await button.getAttribute('aria-disabled')).toBe('true');
  const describedBy = (await button.getAttribute('aria-describedby')) ?? '';
  expect(describedBy, 'a disabled action names its reason with aria-describedby').not.toBe('');
  const page = button.page();
  const texts = await Promise.all(describedBy.split(/\s+/).map((id) => page.locator(`[id="${id}"]`).textContent()));
  const reason = texts.join(' ').trim();
  await button.focus();
  await page.getByRole('tooltip').filter({ hasText: reason }).waitFor();
  return reason;
}

/** Opens the item's editor by its address and waits until it is ready to use. */
export async function openItem(page: Page, id: string) {
  await page.goto(adminUrl(`/o/demo/content/${id}`));
  await waitForPath(page, `/admin/o/demo/content/${id}`);
  await workflowPanel(page).waitFor();
  await page.getByRole('textbox', { name: 'Body', exact: true }).waitFor();
  await waitForAppIdle(page);
}

/** Saves with the Save button and waits for the toast naming the new version. */
export async function save(page: Page, version: number) {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').getByText(`Saved as version ${version}.`).waitFor();
  await waitForAppIdle(page);
}
