import { and, desc, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { webhookSecrets } from '../../db/schema/index.ts';
import { openText, sealText } from '../../lib/aes-gcm.ts';
import { fromBase64 } from '../../lib/bytes.ts';
import { generateSigningSecret } from './signing.ts';

/**
 * Signing secrets at rest: AES-256-GCM under WEBHOOK_SECRET_KEY, with the webhook and secret ids as
 * additional data, so a ciphertext copied to another row (or another tenant's webhook) does not open.
 * The `v1.` prefix leaves room for a second key during a key rotation.
 */
const FORMAT = 'v1.';
const keys = new Map<string, Promise<CryptoKey>>();

function encryptionKey(base64Key: string): Promise<CryptoKey> {
  let key = keys.get(base64Key);
  if (!key) {
    key = crypto.subtle.importKey('raw', fromBase64(base64Key), 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(base64Key, key);
  }
  return key;
}

const boundTo = (webhookId: string, secretId: string) => `webhook-secret:${webhookId}:${secretId}`;

/** A new secret for the webhook, written in the caller's transaction; the plaintext goes back to be shown once. */
export async function insertSigningSecret(
  tx: Executor,
  encryptionKeyBase64: string,
  webhookId: string,
): Promise<string> {
  const secret = generateSigningSecret();
  const id = crypto.randomUUID();
  const ciphertext =
    FORMAT + (await sealText(await encryptionKey(encryptionKeyBase64), secret, boundTo(webhookId, id)));
  await tx.insert(webhookSecrets).values({ id, webhookId, ciphertext });
  return secret;
}

/** The secrets that sign at `now`, newest first. */
export function liveSecretRows(db: Executor, webhookIds: string[], now: Date) {
  const live = or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now));
  return db
    .select()
    .from(webhookSecrets)
    .where(and(inArray(webhookSecrets.webhookId, webhookIds), live))
    .orderBy(desc(webhookSecrets.createdAt), desc(webhookSecrets.id));
}

export async function openSigningSecrets(
  encryptionKeyBase64: string,
  rows: Array<{ id: string; webhookId: string; ciphertext: string }>,
): Promise<string[]> {
  const key = await encryptionKey(encryptionKeyBase64);
  return Promise.all(
    rows.map((row) => {
      if (!row.ciphertext.startsWith(FORMAT)) throw new Error(`webhook secret ${row.id}: unknown format`);
      return openText(key, row.ciphertext.slice(FORMAT.length), boundTo(row.webhookId, row.id));
    }),
  );
}
