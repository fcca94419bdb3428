/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1 of the 30-second step number,
 * dynamically truncated to 6 digits, the parameters every authenticator app uses by default.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted: a code typed just before its step ended, or a clock a little off. */
export const TOTP_WINDOW = 1;

export const totpStep = (at: Date, period = TOTP_PERIOD_SECONDS): number => Math.floor(at.getTime() / 1000 / period);

export function importTotpKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

/** The code of one step (RFC 4226 §5.3): the step as an 8-byte big-endian counter, HMAC, dynamic truncation. */
export async function totpCode(key: CryptoKey, step: number, digits = TOTP_DIGITS): Promise<string> {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (new DataView(mac.buffer).getUint32(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

const encoder = new TextEncoder();

/** Compares without an early exit, so the time taken says nothing about how much of a code was right. */
function sameCode(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/**
 * The step whose code `code` is, within TOTP_WINDOW steps of `now`; undefined when none matches. The
 * caller refuses a step at or before the last one used (RFC 6238 §5.2: a code is accepted once).
 */
export async function matchTotpStep(secret: Uint8Array, code: string, now: Date): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = await importTotpKey(secret);
  const current = totpStep(now);
  let found: number | undefined;
  // Every candidate is computed and compared, so a match early in the window answers no faster.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (sameCode(await totpCode(key, step), code) && found === undefined) found = step;
  }
  return found;
}
