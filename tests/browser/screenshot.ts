/**
 * Screenshots for the README and reviews: docs/screenshots/<name>.png at the 1366x768 viewport, taken once the
 * app has settled, with animations stopped and the caret hidden so the same screen gives the same picture.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../../scripts/local/paths.ts';
import type { PageGlobals } from './page-globals.ts';
import { waitForAppIdle } from './wait.ts';

export const SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');

export interface ScreenshotOptions {
  fullPage?: boolean;
  /** What differs from run to run for no reason a reader cares about (the suite's random port), painted over. */
  mask?: Locator[];
  maskColor?: string;
  /**
   * Wait for the app to settle (no request for 500 ms, no skeleton) first: the default. Pages that are not the
   * admin app (the /docs reference keeps background requests of its own) wait for what they show instead.
   */
  settle?: boolean;
}

export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name ${name}: lowercase words and dashes`);
  if (options.settle ?? true) await waitForAppIdle(page);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready);
  // Nothing focused or hovered by accident: the picture shows the screen, not the last click.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur?.());
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({
    path,
    animations: 'disabled',
    caret: 'hide',
    fullPage: options.fullPage ?? false,
    mask: options.mask ?? [],
    maskColor: options.maskColor ?? '#ffffff',
  });
  return path;
}
