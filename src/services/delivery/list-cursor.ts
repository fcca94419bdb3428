import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../lib/bytes.ts';
import { dateTimeSchema } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';

/** Where a delivery list page ends: the sort key of its last item. */
export interface ListCursor {
  publishedAt: string;
  id: string;
}

// A forged cursor is client input like any other: its instant goes to the database, so it has the same bounds.
const cursorSchema = z.object({ p: dateTimeSchema(), i: z.uuid() });

/** Opaque to clients (base64url JSON), so the sort key can change without breaking their contract. */
export function encodeCursor(cursor: ListCursor): string {
  const json = JSON.stringify({ p: cursor.publishedAt, i: cursor.id });
  return toBase64Url(new TextEncoder().encode(json));
}

export function decodeCursor(raw: string): ListCursor {
  try {
    const json = new TextDecoder().decode(fromBase64Url(raw));
    const parsed = cursorSchema.parse(JSON.parse(json));
    return { publishedAt: parsed.p, id: parsed.i };
  } catch {
    throw new DomainError('validation', 'The cursor is not one this API returned.', {
      code: 'invalid_cursor',
      fields: [
        { path: 'query.cursor', message: 'pass nextCursor from a previous page unchanged', code: 'invalid_cursor' },
      ],
    });
  }
}
