import { fromBase64, toBase64 } from '../../lib/bytes.ts';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): the secret is `whsec_` + base64 of
 * random bytes, the HMAC key is those bytes, and `webhook-signature` is `v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">`, space-separated when several secrets are live.
 */
export const SIGNING_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const encoder = new TextEncoder();

export function generateSigningSecret(): string {
  return SIGNING_SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

async function sign(secret: string, content: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64(secret.slice(SIGNING_SECRET_PREFIX.length)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(content))))}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** One signature per secret, newest first. `timestamp` is Unix seconds. */
export async function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<SignedHeaders> {
  const content = `${id}.${timestamp}.${body}`;
  const signatures = await Promise.all(secrets.map((secret) => sign(secret, content)));
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}
