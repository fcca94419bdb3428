/** The first re-drive comes a minute after the queue gave up: long enough for a blip to pass. */
export const FIRST_REDRIVE_DELAY_SECONDS = 60;
/** Re-drives back off by doubling up to this: a dependency down for days costs four tries a day. */
export const MAX_REDRIVE_DELAY_SECONDS = 6 * 3600;
/** A claimed row is left alone this long; a Worker that died mid-redrive gives it back after that. */
export const REDRIVE_LEASE_SECONDS = 5 * 60;

/** Seconds until the next re-drive after the `attempts`-th one failed: 2 min, 4 min, 8 min … 6 h. */
export function redriveDelaySeconds(attempts: number): number {
  return Math.min(MAX_REDRIVE_DELAY_SECONDS, FIRST_REDRIVE_DELAY_SECONDS * 2 ** Math.max(0, attempts));
}

export const secondsAfter = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);
