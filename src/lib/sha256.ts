import { toBase64Url, toHex } from './bytes.ts';

const encoder = new TextEncoder();

/** SHA-256 of the UTF-8 bytes of a string (Web Crypto, so it runs in the Worker and in Node alike). */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** The digest as lowercase hex: the form stored in Postgres (credential and Idempotency-Key hashes). */
export const sha256Hex = async (text: string): Promise<string> => toHex(await sha256(text));

/** The digest as base64url: the form used inside KV keys and ETags, where it must be short and key-safe. */
export const sha256Base64Url = async (text: string): Promise<string> => toBase64Url(await sha256(text));
