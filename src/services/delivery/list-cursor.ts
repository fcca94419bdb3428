import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../lib/bytes.ts';
import { dateTimeSchema } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';
import { sha256Base64Url } from '../../lib/sha256.ts';

/** Where a delivery list page ends: the sort key of its last item. */
export interface ListCursor {
  publishedAt: string;
  id: string;
}

/** What a cursor is issued for: the organization and every parameter that shapes its pages. */
export interface CursorBinding {
  organizationId: string;
  limit: number;
  type?: string | undefined;
  platform?: string | undefined;
}

// Checked even once the signature holds: the instant goes to the database, with the bounds of every date.
const positionSchema = z.object({ p: dateTimeSchema(), i: z.uuid() });
const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;
const MAC_BYTES = 32;
const encoder = new TextEncoder();

export interface CursorKey {
  key: CryptoKey;
  /** A short fingerprint of the secret, part of list page keys: a new secret never serves old cursors from KV. */
  id: string;
}

// Imported once per isolate and secret, not per request.
const keys = new Map<string, Promise<CursorKey>>();

export function cursorKey(secret: string): Promise<CursorKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => ({
      key: await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]),
      id: (await sha256Base64Url(`delivery-cursor-key:${secret}`)).slice(0, 8),
    }))();
    keys.set(secret, key);
  }
  return key;
}

/** The position part of a cursor (key-safe base64url); list page keys use it. */
export const cursorPosition = (cursor: ListCursor): string =>
  toBase64Url(encoder.encode(JSON.stringify({ p: cursor.publishedAt, i: cursor.id })));

/** The signed text: a version, the binding and the position. No part can hold a newline, so none can shift. */
const signedText = (binding: CursorBinding, payload: string) =>
  encoder.encode(
    [
      'cursor.v1',
      binding.organizationId,
      binding.type ?? '',
      binding.platform ?? '',
      String(binding.limit),
      payload,
    ].join('\n'),
  );

/**
 * Opaque to clients: base64url JSON of the position, a dot, and an HMAC-SHA-256 of it together with the
 * organization, limit and filters it was issued for (docs/decisions/0031). Only cursors this API issued
 * verify, and only with the query they were issued for, so clients cannot make up pages for KV to hold.
 */
export async function encodeCursor(secret: string, binding: CursorBinding, cursor: ListCursor): Promise<string> {
  const payload = cursorPosition(cursor);
  const { key } = await cursorKey(secret);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, signedText(binding, payload)));
  return `${payload}.${toBase64Url(mac)}`;
}

/** The position of a cursor this API issued for this query; anything else is 400 invalid_cursor. */
export async function decodeCursor(secret: string, binding: CursorBinding, raw: string): Promise<ListCursor> {
  const [payload, mac, extra] = raw.split('.');
  if (!payload || !mac || extra !== undefined || !BASE64URL.test(payload) || !BASE64URL.test(mac)) {
    throw invalidCursor();
  }
  let position: z.infer<typeof positionSchema>;
  try {
    const signature = fromBase64Url(mac);
    if (signature.length !== MAC_BYTES) throw invalidCursor();
    const { key } = await cursorKey(secret);
    // verify() compares in constant time.
    if (!(await crypto.subtle.verify('HMAC', key, signature, signedText(binding, payload)))) throw invalidCursor();
    position = positionSchema.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(payload))));
  } catch {
    throw invalidCursor();
  }
  return { publishedAt: position.p, id: position.i };
}

function invalidCursor(): DomainError<'validation'> {
  return new DomainError('validation', 'The cursor is not one this API returned for this query.', {
    code: 'invalid_cursor',
    fields: [
      {
        path: 'query.cursor',
        message: 'pass nextCursor from a previous page unchanged, with the same limit, type and platform',
        code: 'invalid_cursor',
      },
    ],
  });
}
