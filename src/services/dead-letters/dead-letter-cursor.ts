import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../lib/bytes.ts';
import { dateTimeSchema } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';

/** Where a page of dead letters ends: the sort key (first failure, id) of its last row. */
export interface DeadLetterCursor {
  firstFailedAt: Date;
  id: string;
}

const cursorSchema = z.object({ t: dateTimeSchema(), i: z.uuid() });

/** Opaque to clients (base64url JSON); first_failed_at is written from the clock in milliseconds, so it round-trips. */
export function encodeDeadLetterCursor(cursor: DeadLetterCursor): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify({ t: cursor.firstFailedAt.toISOString(), i: cursor.id })));
}

export function decodeDeadLetterCursor(raw: string): DeadLetterCursor {
  try {
    const parsed = cursorSchema.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(raw))));
    return { firstFailedAt: new Date(parsed.t), id: parsed.i };
  } catch {
    throw new DomainError('validation', 'The cursor is not one this API returned.', {
      code: 'invalid_cursor',
      fields: [
        { path: 'query.cursor', message: 'pass nextCursor from a previous page unchanged', code: 'invalid_cursor' },
      ],
    });
  }
}
