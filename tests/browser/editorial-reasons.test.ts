/**
 * A disabled action explains itself: the button stays (focusable, aria-disabled) and its reason is its
 * accessible description and a tooltip on focus. Four eyes (whoever created an item may not approve it) and
 * the approval gates (a compliance verdict, then a quality score at or above the policy's threshold).
 */
import { describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import {
  approveCompliance,
  createItem,
  currentStep,
  disabledReasonOf,
  openItem,
  runWorkflowAction,
  SHORT_BODY,
  uniqueTitle,
  workflowPanel,
} from './editorial.ts';
import { useBrowser } from './harness.ts';
import { signIn, USERS } from './sign-in.ts';

const action = (page: Parameters<typeof workflowPanel>[0], name: string) =>
  workflowPanel(page).getByRole('button', { name, exact: true });

describe('disabled actions say why', () => {
  const browser = useBrowser();

  it('an approver who created the item may not approve it or review its compliance', async () => {
    const page = browser.page;
    // The org admin both writes and approves: the seeded role that can do both.
    await signIn(page, USERS.orgAdmin);
    await createItem(page, { title: uniqueTitle('Four eyes on a note about savings'), paragraphs: SHORT_BODY });
    expect(await disabledReasonOf(page.getByRole('button', { name: 'Save', exact: true }))).toBe('No unsaved changes');
    expect(await disabledReasonOf(action(page, 'Approve'))).toBe('Not submitted for review yet.');
    await runWorkflowAction(page, 'Submit for review', 'Submit', { step: 'In review' });

    expect(await disabledReasonOf(action(page, 'Approve'))).toBe('You created this; another approver must approve.');
    expect(await disabledReasonOf(action(page, 'Review compliance'))).toBe(
      'You created this; another approver must review its compliance.',
    );
    // Clicking it does nothing: no dialog opens.
    await action(page, 'Approve').click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    // The panel's next step says the same without hovering anything.
    const nextStep = workflowPanel(page).getByRole('paragraph').filter({ hasText: 'Next: approval.' });
    expect(await nextStep.textContent()).toContain('You created this; another approver must approve.');
    await checkAccessibility(page);
  });

  it('an approver sees which approval gate is not met: compliance first, then the quality score', async () => {
    const editor = browser.page;
    await signIn(editor, USERS.editor);
    const id = await createItem(editor, {
      title: uniqueTitle('Rates: a short note for this week'),
      paragraphs: SHORT_BODY,
    });
    await runWorkflowAction(editor, 'Submit for review', 'Submit', { step: 'In review' });

    const page = await browser.newPage();
    await signIn(page, USERS.approver);
    await openItem(page, id);
    expect(await currentStep(page)).toBe('In review');
    expect(await disabledReasonOf(action(page, 'Approve'))).toBe(
      'Compliance not approved yet: it needs a compliance review first.',
    );
    expect(await disabledReasonOf(action(page, 'Publish now'))).toBe('Needs approval first.');

    await approveCompliance(page);
    const quality = await disabledReasonOf(action(page, 'Approve'));
    expect(quality).toMatch(/^Quality score \d\.\d is below the policy threshold 7\.0\.$/);
    // Reject stays open to the approver: the way to send it back.
    expect(await action(page, 'Reject').getAttribute('aria-disabled')).toBeNull();
    await checkAccessibility(page);
  });
});
