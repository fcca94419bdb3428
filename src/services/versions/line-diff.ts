export type LineOp = { op: 'equal' | 'add' | 'remove'; text: string };

/**
 * Bounds on the work, so a diff costs at most a few milliseconds of a Worker's CPU: past either one the
 * changed region is reported as a whole replacement (every old line removed, every new line added),
 * which is still a correct diff, just not the shortest.
 * - MAX_LINES: lines on either side after the common prefix and suffix are set aside.
 * - MAX_EDITS: the edit distance Myers' algorithm may explore; its memory grows with its square.
 */
export const MAX_LINES = 5000;
export const MAX_EDITS = 1000;

export const splitLines = (text: string): string[] => (text === '' ? [] : text.split(/\r?\n/));

/**
 * The shortest edit script from `a` to `b` (Myers, "An O(ND) Difference Algorithm", 1986), or null when
 * it needs more than `maxEdits` edits. `trace[d]` keeps the furthest x reached on each diagonal k before
 * step d, for k in [-d-1, d+1], so the path can be walked back.
 */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): LineOp[] | null {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  const limit = Math.min(n + m, maxEdits);
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return null;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const at = (k: number) => v[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ op: 'equal', text: a[--x]! });
    }
    if (d > 0) ops.push(x === prevX ? { op: 'add', text: b[--y]! } : { op: 'remove', text: a[--x]! });
  }
  return ops.reverse();
}

const replaceAll = (a: readonly string[], b: readonly string[]): LineOp[] => [
  ...a.map((text): LineOp => ({ op: 'remove', text })),
  ...b.map((text): LineOp => ({ op: 'add', text })),
];

/**
 * A line diff of two texts: equal lines kept, removals before additions where a line changed. Deterministic.
 * The common prefix and suffix are matched first (cheap, and usually most of an edited article).
 */
export function lineDiff(
  before: string,
  after: string,
  bounds = { maxLines: MAX_LINES, maxEdits: MAX_EDITS },
): { lines: LineOp[]; truncated: boolean } {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle =
    midA.length > bounds.maxLines || midB.length > bounds.maxLines ? null : myers(midA, midB, bounds.maxEdits);
  const equal = (lines: string[]) => lines.map((text): LineOp => ({ op: 'equal', text }));
  return {
    lines: [...equal(a.slice(0, start)), ...(middle ?? replaceAll(midA, midB)), ...equal(a.slice(endA))],
    truncated: middle === null,
  };
}
