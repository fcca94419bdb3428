import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toHex } from '../../src/lib/bytes.ts';
import { sha256, sha256Base64Url, sha256Hex } from '../../src/lib/sha256.ts';

// Stored credential and Idempotency-Key hashes, list ETags and engagement batch ids are all these
// digests: a change of encoding would orphan every stored hash, so the forms are pinned here.
describe('sha256 (src/lib/sha256.ts)', () => {
  it('matches the FIPS 180-2 vector for "abc"', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Base64Url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('hashes the UTF-8 bytes, like node:crypto', async () => {
    for (const text of ['', 'idempotency-key:k1', 'Zürich — 東京 🚀', 'cos_'.padEnd(300, 'x')]) {
      const expected = createHash('sha256').update(text, 'utf8').digest();
      expect(await sha256Hex(text)).toBe(expected.toString('hex'));
      expect(await sha256Base64Url(text)).toBe(expected.toString('base64url'));
      expect(toHex(await sha256(text))).toBe(expected.toString('hex'));
    }
  });

  it('writes hex lowercase with two digits a byte, and base64url without padding', async () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe('00010f10ff');
    const encoded = await sha256Base64Url('padding');
    expect(encoded).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(toHex(fromBase64Url(encoded))).toBe(await sha256Hex('padding'));
  });
});
