/** Standard base64 (with padding) of raw bytes, and back; Workers have btoa/atob but no Buffer by default. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** URL- and key-safe base64 (RFC 4648 §5, no padding): secrets, cursors, digests in KV keys. */
export function toBase64Url(bytes: Uint8Array): string {
  // Padding is at most two '=': a bounded pattern, where `=+$` would rescan a run of '=' from each of them.
  return toBase64(bytes)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/={1,2}$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
}

/** Lowercase hex, two digits a byte: how stored digests (credential and idempotency-key hashes) are written. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
