/**
 * API key secrets: `cos_` + 32 random bytes base64url. Stored as SHA-256 (the secret has full entropy,
 * so a slow hash adds nothing); shown to the caller once.
 */
import { toBase64Url } from '../lib/bytes.ts';
import { sha256Hex } from '../lib/sha256.ts';

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

/** What `secret_hash` holds for API keys and delivery tokens alike: lowercase hex SHA-256. */
export const hashApiKeySecret = (secret: string): Promise<string> => sha256Hex(secret);
