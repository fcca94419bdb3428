import { openText, sealText } from '../../lib/aes-gcm.ts';
import { fromBase64 } from '../../lib/bytes.ts';

/**
 * TOTP secrets at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from WEBHOOK_SECRET_KEY, the
 * platform's at-rest key, so one secret to provision covers both and neither use can open the other's
 * ciphertexts. The user id is the additional data: a ciphertext copied onto another user's row does not
 * open. The `v1.` prefix leaves room for a second key during a key rotation.
 */
const FORMAT = 'v1.';
const HKDF_INFO = new TextEncoder().encode('contentos/mfa-totp-secret/v1');
const keys = new Map<string, Promise<CryptoKey>>();

async function deriveKey(base64Key: string): Promise<CryptoKey> {
  const root = await crypto.subtle.importKey('raw', fromBase64(base64Key), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: HKDF_INFO },
    root,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function totpSecretKey(base64Key: string): Promise<CryptoKey> {
  let key = keys.get(base64Key);
  if (!key) {
    key = deriveKey(base64Key);
    keys.set(base64Key, key);
  }
  return key;
}

const boundTo = (userId: string) => `mfa-totp:${userId}`;

export async function sealTotpSecret(rootKeyBase64: string, userId: string, secretBase32: string): Promise<string> {
  return FORMAT + (await sealText(await totpSecretKey(rootKeyBase64), secretBase32, boundTo(userId)));
}

/** Throws when the ciphertext was altered, belongs to another user, or was sealed under another key. */
export async function openTotpSecret(rootKeyBase64: string, userId: string, stored: string): Promise<string> {
  if (!stored.startsWith(FORMAT)) throw new Error(`TOTP secret of user ${userId}: unknown format`);
  return openText(await totpSecretKey(rootKeyBase64), stored.slice(FORMAT.length), boundTo(userId));
}
