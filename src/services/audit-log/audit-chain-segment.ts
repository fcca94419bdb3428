import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';

/** prev_hash of an organization's first entry (migrations/0009_audit_hash_chain.sql). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How a chain can fail to link, at its first broken position:
 * - `entry_missing`: no entry holds this position (deleted); expected and found are positions.
 * - `link_mismatch`: the entry's prev_hash is not the previous entry's hash (that one was rewritten or removed).
 * - `hash_mismatch`: the entry's content no longer hashes to its stored hash (edited in place).
 * - `checkpoint_mismatch`: the entry's hash differs from the one the cron recorded for it (rewritten since).
 * - `head_mismatch`: the last entry is not the one the chain's head records (entries removed from, or added
 *   without the trigger to, the end).
 */
export type ChainBreakReason =
  | 'entry_missing'
  | 'link_mismatch'
  | 'hash_mismatch'
  | 'checkpoint_mismatch'
  | 'head_mismatch';

export interface ChainBreak {
  position: number;
  reason: ChainBreakReason;
  /** The entry at (or, for entry_missing, after) the break; null when there is none. */
  entryId: number | null;
  /** Hex hashes, or positions (decimal) for entry_missing. */
  expected: string;
  found: string;
}

export interface ChainSegment {
  /** Entries rehashed in this segment. */
  checked: number;
  /** The last position checked (from - 1 when none) and its stored hash. */
  last: { position: number; hash: string };
  /** The organization's head when the segment was read (position 0 and the genesis hash before any entry). */
  head: { position: number; hash: string };
  /** The next position to check, or null when the segment reached the head (or broke). */
  next: number | null;
  broken: ChainBreak | null;
}

interface SegmentRow extends Record<string, unknown> {
  checked: string;
  last_position: string | null;
  last_hash: string | null;
  anchor_hash: string | null;
  head_position: string | null;
  head_hash: string | null;
  break_id: string | null;
  break_position: string | null;
  break_expected_position: string | null;
  break_reason: Exclude<ChainBreakReason, 'head_mismatch'> | null;
  break_expected: string | null;
  break_found: string | null;
}

/**
 * Checks up to `limit` entries of one organization's chain from position `from`, in the database (one
 * statement, one snapshot, so the head matches the rows): each entry must hold the next position, link to
 * the previous entry's hash, hash to its stored hash, and agree with the cron's checkpoint where there is one;
 * a segment that reaches the end must end at the head. `anchorHash` is the hash of position from - 1 when
 * the caller knows it (the cron's checkpoint); otherwise the stored one is used.
 */
export async function checkChainSegment(
  db: Executor,
  input: { organizationId: string; from: number; limit: number; anchorHash?: string | undefined },
): Promise<ChainSegment> {
  const { organizationId, from, limit } = input;
  const result = await db.execute<SegmentRow>(sql`
    WITH anchor AS (
      SELECT CASE
        WHEN ${from}::bigint = 1 THEN decode(${GENESIS_HASH}, 'hex')
        WHEN ${input.anchorHash ?? null}::text IS NOT NULL THEN decode(${input.anchorHash ?? null}::text, 'hex')
        ELSE (SELECT a.hash FROM audit_log a WHERE a.organization_id = ${organizationId} AND a.chain_position = ${from}::bigint - 1)
      END AS hash
    ),
    segment AS (
      SELECT a.id, a.chain_position AS position, a.prev_hash, a.hash, audit_log_entry_hash(a) AS recomputed
      FROM audit_log a
      WHERE a.organization_id = ${organizationId} AND a.chain_position >= ${from}::bigint
      ORDER BY a.chain_position
      LIMIT ${limit}
    ),
    linked AS (
      SELECT s.*,
        ${from}::bigint - 1 + row_number() OVER w AS expected_position,
        coalesce(lag(s.hash) OVER w, (SELECT hash FROM anchor)) AS expected_prev
      FROM segment s
      WINDOW w AS (ORDER BY s.position)
    ),
    first_break AS (
      SELECT l.id, l.position, l.expected_position,
        CASE
          WHEN l.position <> l.expected_position THEN 'entry_missing'
          WHEN l.prev_hash IS DISTINCT FROM l.expected_prev THEN 'link_mismatch'
          WHEN l.hash IS DISTINCT FROM l.recomputed THEN 'hash_mismatch'
          ELSE 'checkpoint_mismatch'
        END AS reason,
        CASE
          WHEN l.position <> l.expected_position THEN l.expected_position::text
          WHEN l.prev_hash IS DISTINCT FROM l.expected_prev THEN encode(l.expected_prev, 'hex')
          WHEN l.hash IS DISTINCT FROM l.recomputed THEN encode(l.recomputed, 'hex')
          ELSE encode(c.hash, 'hex')
        END AS expected,
        CASE
          WHEN l.position <> l.expected_position THEN l.position::text
          WHEN l.prev_hash IS DISTINCT FROM l.expected_prev THEN encode(l.prev_hash, 'hex')
          ELSE encode(l.hash, 'hex')
        END AS found
      FROM linked l
      LEFT JOIN audit_chain_checkpoints c ON c.organization_id = ${organizationId} AND c.position = l.position
      WHERE l.position <> l.expected_position
        OR l.prev_hash IS DISTINCT FROM l.expected_prev
        OR l.hash IS DISTINCT FROM l.recomputed
        OR c.hash <> l.hash
      ORDER BY l.position
      LIMIT 1
    )
    SELECT
      (SELECT count(*) FROM linked) AS checked,
      (SELECT max(position) FROM linked) AS last_position,
      (SELECT encode(hash, 'hex') FROM linked ORDER BY position DESC LIMIT 1) AS last_hash,
      (SELECT encode(hash, 'hex') FROM anchor) AS anchor_hash,
      h.position AS head_position,
      encode(h.hash, 'hex') AS head_hash,
      b.id AS break_id,
      b.position AS break_position,
      b.expected_position AS break_expected_position,
      b.reason AS break_reason,
      b.expected AS break_expected,
      b.found AS break_found
    FROM (SELECT 1) AS one
    LEFT JOIN audit_chain_heads h ON h.organization_id = ${organizationId}
    LEFT JOIN first_break b ON true
  `);
  return interpret(result.rows[0]!, from, limit);
}

const num = (value: string | null) => (value === null ? null : Number(value));

function interpret(row: SegmentRow, from: number, limit: number): ChainSegment {
  const checked = Number(row.checked);
  const head = { position: num(row.head_position) ?? 0, hash: row.head_hash ?? GENESIS_HASH };
  const last =
    checked > 0
      ? { position: num(row.last_position)!, hash: row.last_hash! }
      : { position: from - 1, hash: row.anchor_hash ?? '' };
  const segment = (broken: ChainBreak | null, next: number | null): ChainSegment => ({
    checked,
    last,
    head,
    next,
    broken,
  });

  if (row.break_reason) {
    const missing = row.break_reason === 'entry_missing';
    const position = num(missing ? row.break_expected_position : row.break_position)!;
    return segment(
      {
        position,
        reason: row.break_reason,
        entryId: num(row.break_id),
        expected: row.break_expected!,
        found: row.break_found!,
      },
      null,
    );
  }
  // Positions past the head hold nothing to check (and a caller's `from` may point there).
  if (from > head.position + 1 && checked === 0) return segment(null, null);
  if (from > 1 && row.anchor_hash === null) {
    // The entry before `from` is gone: the link into this segment cannot be checked.
    return segment(
      { position: from - 1, reason: 'entry_missing', entryId: null, expected: String(from - 1), found: 'none' },
      null,
    );
  }
  if (checked === limit) return segment(null, last.position + 1);
  if (last.position < head.position) {
    return segment(
      {
        position: last.position + 1,
        reason: 'entry_missing',
        entryId: null,
        expected: String(last.position + 1),
        found: 'none',
      },
      null,
    );
  }
  if (last.position !== head.position || last.hash !== head.hash) {
    // Past the head: entries written without the trigger; at it: the last entry is not the one the head recorded.
    const position = Math.min(last.position, head.position + 1);
    return segment({ position, reason: 'head_mismatch', entryId: null, expected: head.hash, found: last.hash }, null);
  }
  return segment(null, null);
}
