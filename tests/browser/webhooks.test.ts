/**
 * Webhooks as an org admin meets them: create one in Settings pointing at a receiver this test runs on
 * loopback (allowed in development, WEBHOOK_ALLOW_LOOPBACK_HTTP), its signing secret shown once; send a test
 * event, find the delivery in the log with its response code, open it, replay it, and the receiver gets the
 * same delivery again. Also an API key's secret, shown once.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from './accessibility.ts';
import { uniqueSuffix } from './api.ts';
import { UI_TIMEOUT_MS, useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { signIn, USERS } from './sign-in.ts';
import { waitForAppIdle, waitForPath } from './wait.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The webhook's endpoint: records every POST and answers 200 with a short text the log shows. */
function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('received by the test receiver');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    ),
  );
}

/** The colour the run-specific addresses are painted over with in the pictures: visibly redacted. */
const MASK = '#d1d5db';

/** Toasts name this run's addresses and leave after a few seconds: the pictures wait for them to go. */
async function untilToastsGone(page: Page) {
  await expect.poll(() => page.locator('.toasts .toast').count(), { timeout: 15_000 }).toBe(0);
}

/** Deliveries go through the queue consumer of the dev stack: give them time on a busy machine, not forever. */
const DELIVERY_TIMEOUT_MS = 90_000;

describe('webhooks', () => {
  const browser = useBrowser();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('a test event shows in the delivery log with its response, and Replay sends it again', async () => {
    const page = browser.page;
    await signIn(page, USERS.orgAdmin, { path: 'settings/webhooks' });
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    const hookPath = `/hooks/${uniqueSuffix()}`;
    const endpoint = `${receiver.url}${hookPath}`;

    await page.getByRole('button', { name: 'Create webhook' }).click();
    const form = page.getByRole('dialog', { name: 'Create webhook' });
    await form.getByLabel('Endpoint URL').fill(endpoint);
    await form.getByLabel('Description (optional)').fill('The browser test’s receiver');
    await form.getByRole('checkbox', { name: 'content.published' }).waitFor();
    await form.getByRole('button', { name: 'Create webhook' }).click();

    // The signing secret, once: the dialog stays until "I’ve stored it" is ticked.
    const secret = page.getByRole('dialog', { name: 'Webhook created' });
    await secret.waitFor();
    const shown = (await secret.locator('.secret-box code').textContent()) ?? '';
    expect(shown).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await secret.getByText('Shown only this once').waitFor();
    await checkAccessibility(page);
    const done = secret.getByRole('button', { name: 'Done' });
    expect(await done.getAttribute('aria-disabled')).toBe('true');
    // A person can still press it (aria-disabled keeps it focusable): nothing closes, nor with Escape.
    await done.click({ force: true });
    await page.keyboard.press('Escape');
    expect(await secret.isVisible()).toBe(true);
    await secret.getByRole('checkbox', { name: 'I’ve stored it' }).check();
    await done.click();
    await secret.waitFor({ state: 'detached' });
    await page.getByText(`Webhook ${endpoint} created`).waitFor();

    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: endpoint }) });
    await row.getByText('Active').waitFor();
    await waitForAppIdle(page);
    await checkAccessibility(page);
    await untilToastsGone(page);
    // The receiver's port differs every run: painted over in the picture.
    await screenshot(page, 'settings-webhooks', {
      mask: [page.getByRole('link', { name: /^http:\/\/127\.0\.0\.1/ })],
      maskColor: MASK,
    });

    // Its page: send a test event; the receiver gets it and the log shows it with the response code.
    await row.getByRole('link', { name: endpoint }).click();
    await waitForPath(page, /\/settings\/webhooks\/[^/]+$/);
    await page.getByRole('heading', { name: endpoint, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('Test event queued').waitFor();
    await expect
      .poll(() => receiver.received.filter((r) => r.path === hookPath).length, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(1);
    const first = receiver.received.find((r) => r.path === hookPath)!;
    expect(first.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(first.body)).toMatchObject({ type: 'webhook.test' });

    const log = page.getByRole('table', { name: 'Deliveries of this webhook' });
    const delivery = log.getByRole('row').filter({ hasText: 'webhook.test' });
    await expect
      .poll(
        async () => {
          if (!(await delivery.getByText('Succeeded').isVisible()))
            await page.getByRole('button', { name: 'Refresh' }).click();
          return delivery.textContent();
        },
        { timeout: DELIVERY_TIMEOUT_MS, interval: 2000 },
      )
      .toMatch(/Succeeded.*200/);
    // The webhook's health follows its log: a last success, no failure.
    const health = page.locator('dl.kv');
    await expect
      .poll(() => health.textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/Last success[A-Z][a-z]{2} \d{1,2}, \d{4}.*UTCLast failure—/);
    await waitForAppIdle(page);
    await checkAccessibility(page);
    await untilToastsGone(page);
    await screenshot(page, 'webhook-deliveries', { mask: [page.getByRole('heading', { level: 1 })], maskColor: MASK });

    // The details: the signed body and the attempt with the receiver's answer; then Replay, through a confirm.
    await delivery.getByRole('button', { name: /^Details of webhook\.test delivery/ }).click();
    const details = page.getByRole('dialog', { name: 'Delivery of webhook.test' });
    await details.waitFor();
    const deliveryId = first.headers['webhook-id'] as string;
    await details.getByText(deliveryId, { exact: true }).waitFor();
    const attempts = details.getByRole('table');
    await attempts.getByText('received by the test receiver').waitFor();
    await attempts.getByText('200', { exact: true }).waitFor();
    await checkAccessibility(page);
    await details.getByRole('button', { name: 'Replay' }).click();
    const confirm = page.getByRole('dialog', { name: 'Replay this delivery?' });
    await confirm.getByText('The replay is recorded in the audit log.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Replay delivery' }).click();
    await page.getByText('Replay queued: the delivery is pending again').waitFor();
    await details.waitFor({ state: 'detached' });

    // The receiver gets the same delivery (same webhook-id and body) a second time.
    await expect
      .poll(() => receiver.received.filter((r) => r.path === hookPath).length, { timeout: DELIVERY_TIMEOUT_MS })
      .toBe(2);
    const replayed = receiver.received.filter((r) => r.path === hookPath)[1]!;
    expect(replayed.headers['webhook-id']).toBe(deliveryId);
    expect(replayed.body).toBe(first.body);
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return delivery.getByRole('cell').nth(2).textContent();
        },
        { timeout: DELIVERY_TIMEOUT_MS, interval: 2000 },
      )
      .toBe('2');
  });

  it('an API key’s secret is shown once and the dialog closes only once it is stored', async () => {
    const page = browser.page;
    await signIn(page, USERS.orgAdmin, { path: 'settings/api-keys' });
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    const name = `Browser test key ${uniqueSuffix()}`;
    await page.getByRole('button', { name: 'Create API key' }).click();
    const form = page.getByRole('dialog', { name: 'Create API key' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create', exact: true }).click();

    const secret = page.getByRole('dialog', { name: `API key created: ${name}` });
    await secret.waitFor();
    const shown = (await secret.locator('.secret-box code').textContent()) ?? '';
    expect(shown.length).toBeGreaterThan(20);
    await secret.getByRole('button', { name: 'Copy api key secret' }).waitFor();
    await checkAccessibility(page);
    await secret.getByRole('button', { name: 'Done' }).click({ force: true });
    await page.keyboard.press('Escape');
    expect(await secret.isVisible()).toBe(true);
    await secret.getByRole('checkbox', { name: 'I’ve stored it' }).check();
    await secret.getByRole('button', { name: 'Done' }).click();
    await secret.waitFor({ state: 'detached' });

    // Afterwards only its prefix is listed, never the secret.
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByText('Active').waitFor();
    const prefix = ((await row.getByRole('cell').nth(1).textContent()) ?? '').replace('…', '');
    expect(prefix.length).toBeGreaterThan(3);
    expect(shown.startsWith(prefix)).toBe(true);
    expect(await page.getByText(shown).count()).toBe(0);
  });
});
