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
