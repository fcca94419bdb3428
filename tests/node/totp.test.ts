import { describe, expect, it } from 'vitest';
import { fromBase32, toBase32 } from '../../src/lib/base32.ts';
import { importTotpKey, matchTotpStep, totpCode, totpStep } from '../../src/lib/totp.ts';
import { generateRecoveryCodes, normalizeRecoveryCode } from '../../src/services/mfa/recovery-codes.ts';

const encoder = new TextEncoder();

describe('TOTP (src/lib/totp.ts)', () => {
  // RFC 6238 Appendix B, the SHA-1 column: the 20-byte ASCII seed "12345678901234567890", 30 s steps, 8 digits.
  const SEED = encoder.encode('12345678901234567890');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 test vector at T=%i', async (seconds, expected) => {
    const key = await importTotpKey(SEED);
    expect(await totpCode(key, totpStep(new Date(seconds * 1000)), 8)).toBe(expected);
  });

  it('gives the 6-digit codes authenticator apps show (the vectors truncated to their last six digits)', async () => {
    const key = await importTotpKey(SEED);
    expect(await totpCode(key, totpStep(new Date(59_000)))).toBe('287082');
    expect(await totpCode(key, totpStep(new Date(1_111_111_109_000)))).toBe('081804');
  });

  it('accepts the code of the step before and after now, nothing further, and only six digits', async () => {
    const now = new Date(1_234_567_890_000);
    const key = await importTotpKey(SEED);
    const step = totpStep(now);
    for (const offset of [-1, 0, 1])
      expect(await matchTotpStep(SEED, await totpCode(key, step + offset), now)).toBe(step + offset);
    for (const offset of [-3, -2, 2, 3])
      expect(await matchTotpStep(SEED, await totpCode(key, step + offset), now)).toBeUndefined();
    const code = await totpCode(key, step);
    for (const malformed of [` ${code}`, `${code}0`, code.slice(1), '12345a', '', '１２３４５６'])
      expect(await matchTotpStep(SEED, malformed, now)).toBeUndefined();
  });
});

describe('base32 (src/lib/base32.ts)', () => {
  // RFC 4648 §10, without padding (as otpauth:// carries secrets).
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %j as %s and back', (text, encoded) => {
    expect(toBase32(encoder.encode(text))).toBe(encoded);
    expect(new TextDecoder().decode(fromBase32(encoded))).toBe(text);
    expect(new TextDecoder().decode(fromBase32(`${encoded.toLowerCase()}===`))).toBe(text);
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => fromBase32('MZXW0')).toThrow();
  });
});

describe('recovery codes (src/services/mfa/recovery-codes.ts)', () => {
  it('issues ten distinct codes of 50 random bits, read back however they are typed', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(normalizeRecoveryCode(` ${code.toUpperCase().replace('-', ' - ')} `)).toBe(code.replace('-', ''));
    }
    expect(normalizeRecoveryCode('abcde-fghi1')).toBeUndefined();
    expect(normalizeRecoveryCode('abcde')).toBeUndefined();
  });
});
