/**
 * The one browser the suite drives: the system Chromium through playwright-core (no downloaded browsers).
 * CHROMIUM_PATH points elsewhere when it is installed somewhere else.
 */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';

/** Quiet and offline apart from the pages under test: no sync, updates or QUIC probes on a CI machine. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumMissing = () =>
  `the browser tests need Chromium at ${CHROMIUM_PATH} and it is not there. Install it: ` +
  '`apt-get update && apt-get install -y chromium` (with sudo when not root), or set CHROMIUM_PATH to one ' +
  'you have. To run everything else: `npm test -- --project worker --project node`.';

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 60_000 });
  } catch (err) {
    throw new Error(`${chromiumMissing()}\n(launch failed: ${(err as Error).message})`);
  }
}
