import { sha256Hex } from '../../lib/sha256.ts';

/**
 * Recovery codes: ten single-use codes shown once at enrolment, for when the authenticator is lost. Each
 * is 10 characters of the base32 alphabet (50 random bits), shown as `abcde-fghij`; only a SHA-256 digest
 * (salted with the user id) is stored. 50 bits behind a 5-a-minute limit are out of reach of guessing,
 * so a slow password hash would add nothing.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const CODE_LENGTH = 10;
const FORM = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
    // 256 is a multiple of 32: taking each byte modulo 32 is uniform.
    const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** As a person types it: any case, with or without the hyphen or spaces; undefined when it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  return FORM.test(code) ? code : undefined;
}

export const recoveryCodeDigest = (userId: string, normalized: string) => sha256Hex(`${userId}:${normalized}`);
