/**
 * API key secrets: `cos_` + 32 random bytes base64url. Stored as SHA-256 (the secret has full entropy,
 * so a slow hash adds nothing); shown to the caller once.
 */
import { toBase64Url } from '../lib/bytes.ts';

export const API_KEY_PREFIX = 'cos_';
/** Delivery tokens (read-only, delivery API) look different, so neither can be mistaken for the other. */
export const DELIVERY_TOKEN_PREFIX = 'cosd_';
const DISPLAY_SECRET_CHARS = 8;

/** `<kind prefix>` + 32 random bytes base64url; `prefix` (kind + 8 characters) identifies it in lists. */
export function generateSecret(kindPrefix: string): { secret: string; prefix: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = kindPrefix + toBase64Url(bytes);
  return { secret, prefix: secret.slice(0, kindPrefix.length + DISPLAY_SECRET_CHARS) };
}

export const generateApiKeySecret = () => generateSecret(API_KEY_PREFIX);

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

export async function hashApiKeySecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
