import { fromBase64, toBase64 } from './bytes.ts';

const IV_BYTES = 12;
const encoder = new TextEncoder();

const params = (iv: Uint8Array, additionalData: string | undefined) => ({
  name: 'AES-GCM',
  iv,
  ...(additionalData ? { additionalData: encoder.encode(additionalData) } : {}),
});

/**
 * AES-256-GCM with a fresh 96-bit IV per message, stored as base64(iv ‖ ciphertext ‖ tag). Additional data,
 * when given, binds the ciphertext to where it is stored: moved to another row, it no longer opens.
 */
export async function sealText(key: CryptoKey, plaintext: string, additionalData?: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(params(iv, additionalData), key, encoder.encode(plaintext)),
  );
  const joined = new Uint8Array(IV_BYTES + sealed.length);
  joined.set(iv);
  joined.set(sealed, IV_BYTES);
  return toBase64(joined);
}

/** Throws when the key, the additional data or a single byte of the stored text is wrong. */
export async function openText(key: CryptoKey, stored: string, additionalData?: string): Promise<string> {
  const joined = fromBase64(stored);
  return new TextDecoder().decode(
    await crypto.subtle.decrypt(params(joined.subarray(0, IV_BYTES), additionalData), key, joined.subarray(IV_BYTES)),
  );
}
