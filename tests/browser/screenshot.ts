/**
 * Screenshots for the README and reviews: docs/screenshots/<name>.png at the 1366x768 viewport, taken once the
 * app has settled, with animations stopped and the caret hidden so the same screen gives the same picture.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/local/paths.ts';
import type { PageGlobals } from './page-globals.ts';
import { waitForAppIdle } from './wait.ts';

export const SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name ${name}: lowercase words and dashes`);
  await waitForAppIdle(page);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready);
  // Nothing focused or hovered by accident: the picture shows the screen, not the last click.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur?.());
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', fullPage: options.fullPage ?? false });
  return path;
}
