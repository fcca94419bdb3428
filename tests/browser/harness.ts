/**
 * What every browser test file uses: `useBrowser()` gives each test a fresh browser context (no cookies, so
 * no session) and page at 1366x768, in UTC and en-US so that screenshots come out the same every run. On a
 * failure it keeps a screenshot under .data/browser-tests/failures/ and prints the end of the dev log.
 *
 *     const browser = useBrowser();
 *     it('…', async () => {
 *       const page = browser.page;
 *       await signIn(page, 'editor@demo.example.com');
 *       …
 *     });
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { DATA_DIR } from '../../scripts/local/paths.ts';
import { launchChromium } from './chromium.ts';

export const VIEWPORT = { width: 1366, height: 768 } as const;
/** How long a single wait for something on screen may take (a cold lazy chunk on a busy 2-core machine). */
export const UI_TIMEOUT_MS = 30_000;

export const baseUrl = () => inject('baseUrl');
export const adminUrl = (path = '') => `${inject('baseUrl')}/admin${path.startsWith('/') ? path : `/${path}`}`;

export interface BrowserHandle {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Another signed-out page in its own context (a second person), closed after the test. */
  newPage(): Promise<Page>;
}

export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let page: Page | undefined;

  const newContext = async () => {
    const context = await browser!.newContext({
      viewport: VIEWPORT,
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(30_000);
    contexts.push(context);
    return context;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await (await newContext()).newPage();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
    page = undefined;
  });

  return {
    get browser() {
      return browser!;
    },
    get context() {
      return contexts[0]!;
    },
    get page() {
      if (!page) throw new Error('browser.page is only there inside a test');
      return page;
    },
    newPage: async () => (await newContext()).newPage(),
  };
}

/** A failed test leaves what the page showed, and what the server said, behind. */
async function keepFailure(page: Page, testName: string) {
  const dir = join(DATA_DIR, 'browser-tests', 'failures');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  console.error(`[browser] failed at ${page.url()}; screenshot ${file}\n--- end of the dev log ---\n${devLogTail()}`);
}

function devLogTail(lines = 40): string {
  try {
    return readFileSync(inject('devLogPath'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no dev log)';
  }
}
