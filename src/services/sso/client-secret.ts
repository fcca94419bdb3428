import { openText, sealText } from '../../lib/aes-gcm.ts';
import { fromBase64 } from '../../lib/bytes.ts';

/**
 * Client secrets at rest: AES-256-GCM like webhook signing secrets, under a key derived (HKDF) from the same
 * WEBHOOK_SECRET_KEY, so one secret to manage yields separate keys for separate purposes; the organization's
 * id is the additional data, so a ciphertext copied to another organization's row does not open.
 */
const FORMAT = 'v1.';
const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function clientSecretKey(masterKeyBase64: string): Promise<CryptoKey> {
  let key = keys.get(masterKeyBase64);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey('raw', fromBase64(masterKeyBase64), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new Uint8Array(0),
          info: encoder.encode('contentos sso client secret v1'),
        },
        master,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    keys.set(masterKeyBase64, key);
  }
  return key;
}

const boundTo = (organizationId: string) => `sso-client-secret:${organizationId}`;

export async function sealClientSecret(
  masterKeyBase64: string,
  organizationId: string,
  secret: string,
): Promise<string> {
  return FORMAT + (await sealText(await clientSecretKey(masterKeyBase64), secret, boundTo(organizationId)));
}

export async function openClientSecret(
  masterKeyBase64: string,
  organizationId: string,
  stored: string,
): Promise<string> {
  if (!stored.startsWith(FORMAT)) throw new Error(`sso client secret of ${organizationId}: unknown format`);
  return openText(await clientSecretKey(masterKeyBase64), stored.slice(FORMAT.length), boundTo(organizationId));
}
