/** Small waits the screens need: until the app has settled (no request in flight, no skeleton showing). */
import type { Page } from 'playwright-core';
import type { PageGlobals } from './page-globals.ts';
import { UI_TIMEOUT_MS } from './harness.ts';

/** Loading placeholders (src/admin/ui/Skeleton.tsx) and anything marked busy. */
const LOADING = '.skeleton, .skeleton-row, [aria-busy="true"]';

export async function waitForAppIdle(page: Page, timeout = UI_TIMEOUT_MS) {
  await page.waitForLoadState('networkidle', { timeout });
  await page.waitForFunction(
    (selector) => (globalThis as unknown as PageGlobals).document.querySelectorAll(selector).length === 0,
    LOADING,
    { timeout },
  );
}

/** Until the address is `pathname` (under /admin). */
export async function waitForPath(page: Page, pathname: string | RegExp, timeout = UI_TIMEOUT_MS) {
  await page.waitForURL(
    (url) => (typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname)),
    { timeout },
  );
}

/** Every request the page makes from now on (URL strings), for checks like "nothing leaves this origin". */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}
