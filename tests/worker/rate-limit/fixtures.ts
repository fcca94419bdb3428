import { generateApiKeySecret } from '../../../src/auth/api-key-secret.ts';

/** An IPv4 address of the test's own (10.0.0.0/8), so no other test shares its per-address budgets. */
export function randomAddress(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

/** An IPv6 /64 of the test's own (documentation prefix): addresses in it share per-address budgets. */
export function randomPrefix64(): string {
  const [a, b] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a!.toString(16)}:${b!.toString(16)}`;
}

/** Nothing listens on port 1: a request that reaches Postgres with this URL answers 503 database_unavailable. */
export const UNREACHABLE_DATABASE = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };

/** An API key that never existed. */
export const randomApiKey = () => generateApiKeySecret().secret;

/**
 * Waits, when needed, until a fixed window of `windowSeconds` has at least `marginSeconds` left. Upstash's
 * sliding window weighs the previous window's count down as the new one starts, so a test that counts to
 * a limit across a window edge sees budget come back mid-test: the limiter is right, the test's arithmetic
 * is not. Tests that count exactly start clear of the edge instead.
 */
export async function clearOfWindowEdge(windowSeconds = 60, marginSeconds = 20): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginSeconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
