/**
 * Stored responses can hold what must never sit readable at rest (an API key's one-time secret). The
 * database keeps only SHA-256 of the client's Idempotency-Key, and the response body sealed with
 * AES-256-GCM under a key derived (HKDF) from the raw Idempotency-Key: only a client that still holds the
 * key can have the response replayed, and a copy of the table reveals nothing.
 */
const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function hashIdempotencyKey(rawKey: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(`idempotency-key:${rawKey}`)));
}

async function sealingKey(rawKey: string, scope: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(rawKey), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(scope), info: encoder.encode('contentos idempotent response v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function sealResponseBody(body: string, rawKey: string, scope: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await sealingKey(rawKey, scope), encoder.encode(body)));
  const joined = new Uint8Array(iv.length + sealed.length);
  joined.set(iv);
  joined.set(sealed, iv.length);
  let binary = '';
  for (const b of joined) binary += String.fromCharCode(b);
  return btoa(binary);
}

export async function openResponseBody(stored: string, rawKey: string, scope: string): Promise<string> {
  const joined = Uint8Array.from(atob(stored), (c) => c.charCodeAt(0));
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: joined.subarray(0, 12) }, await sealingKey(rawKey, scope), joined.subarray(12));
  return new TextDecoder().decode(plain);
}
