import { openText, sealText } from '../../lib/aes-gcm.ts';
import { sha256Hex } from '../../lib/sha256.ts';

/**
 * Stored responses can hold what must never sit readable at rest (an API key's one-time secret). The
 * database keeps only SHA-256 of the client's Idempotency-Key, and the response body sealed with
 * AES-256-GCM under a key derived (HKDF) from the raw Idempotency-Key: only a client that still holds the
 * key can have the response replayed, and a copy of the table reveals nothing.
 */
const encoder = new TextEncoder();

export const hashIdempotencyKey = (rawKey: string): Promise<string> => sha256Hex(`idempotency-key:${rawKey}`);

async function sealingKey(rawKey: string, scope: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(rawKey), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(scope),
      info: encoder.encode('contentos idempotent response v1'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function sealResponseBody(body: string, rawKey: string, scope: string): Promise<string> {
  return sealText(await sealingKey(rawKey, scope), body);
}

export async function openResponseBody(stored: string, rawKey: string, scope: string): Promise<string> {
  return openText(await sealingKey(rawKey, scope), stored);
}
