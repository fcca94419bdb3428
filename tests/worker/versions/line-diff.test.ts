import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineDiff, splitLines, type LineOp } from '../../../src/services/versions/line-diff.ts';
import { diffSnapshots, sameJson } from '../../../src/services/versions/snapshot-diff.ts';

/** The length of a longest common subsequence, by the textbook table: the reference a shortest diff must meet. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const ops = (lines: LineOp[]) => lines.map((l) => `${l.op === 'equal' ? ' ' : l.op === 'add' ? '+' : '-'}${l.text}`);
/** Both sides rebuilt from the diff: equal and removed lines are the old text, equal and added the new. */
const sides = (lines: LineOp[]) => ({
  before: lines.filter((l) => l.op !== 'add').map((l) => l.text),
  after: lines.filter((l) => l.op !== 'remove').map((l) => l.text),
});

describe('line diff', () => {
  it.each([
    ['identical', 'a\nb', 'a\nb', [' a', ' b']],
    ['a line changed', 'a\nb\nc', 'a\nx\nc', [' a', '-b', '+x', ' c']],
    ['a line added at the end', 'a', 'a\nb', [' a', '+b']],
    ['a line removed at the start', 'a\nb', 'b', ['-a', ' b']],
    ['from empty', '', 'a\nb', ['+a', '+b']],
    ['to empty', 'a\nb', '', ['-a', '-b']],
    ['both empty', '', '', []],
    [
      'Myers\u2019 example (5 edits)',
      'A\nB\nC\nA\nB\nB\nA',
      'C\nB\nA\nB\nA\nC',
      ['-A', '-B', ' C', '+B', ' A', ' B', '-B', ' A', '+C'],
    ],
    ['CRLF and LF are the same line break', 'a\r\nb', 'a\nb', [' a', ' b']],
  ])('%s', (_label, before, after, expected) => {
    expect(ops(lineDiff(before, after).lines)).toEqual(expected);
  });

  it('is a shortest script that rebuilds both texts (property)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const { lines, truncated } = lineDiff(before, after);
        expect(truncated).toBe(false);
        expect(sides(lines)).toEqual({ before: splitLines(before), after: splitLines(after) });
        const [a, b] = [splitLines(before), splitLines(after)];
        expect(lines.filter((l) => l.op !== 'equal').length).toBe(a.length + b.length - 2 * lcsLength(a, b));
      }),
    );
  });

  it('falls back to a whole replacement of the changed region past the bounds, still correct', () => {
    const before = ['head', 'a', 'b', 'c', 'd', 'tail'].join('\n');
    const after = ['head', 'b', 'x', 'd', 'y', 'tail'].join('\n');
    const bounded = lineDiff(before, after, { maxLines: 5000, maxEdits: 2 });
    expect(bounded.truncated).toBe(true);
    expect(ops(bounded.lines)).toEqual([' head', '-a', '-b', '-c', '-d', '+b', '+x', '+d', '+y', ' tail']);
    expect(lineDiff(before, after).truncated).toBe(false);
  });

  it('over 5000 changed lines: whole replacement, quickly', () => {
    const before = Array.from({ length: 6000 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 6000 }, (_, i) => `new ${i}`).join('\n');
    const started = Date.now();
    const { lines, truncated } = lineDiff(`same\n${before}\nsame`, `same\n${after}\nsame`);
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(12_002);
    expect(lines[0]).toEqual({ op: 'equal', text: 'same' });
    expect(lines[1]).toEqual({ op: 'remove', text: 'old 0' });
    expect(lines[6001]).toEqual({ op: 'add', text: 'new 0' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a long body with a few changes is diffed exactly', () => {
    const before = Array.from({ length: 4000 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[100] = 'changed';
    after.splice(2000, 1);
    after.push('appended');
    const { lines, truncated } = lineDiff(before.join('\n'), after.join('\n'));
    expect(truncated).toBe(false);
    expect(ops(lines.filter((l) => l.op !== 'equal'))).toEqual(['-line 100', '+changed', '-line 2000', '+appended']);
  });
});

describe('snapshot diff', () => {
  it('compares JSON structurally (jsonb reorders keys)', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });

  it('reports differing fields in reading order, a missing field as null, and ignores version and qualityBreakdown', () => {
    const changes = diffSnapshots(
      { version: 1, title: 'a', status: 'draft', qualityBreakdown: { total: 1 }, platforms: ['web'], legacy: 'x' },
      { version: 2, title: 'b', status: 'approved', qualityBreakdown: { total: 2 }, platforms: ['web'] },
    );
    expect(changes).toEqual([
      { field: 'title', before: 'a', after: 'b' },
      { field: 'status', before: 'draft', after: 'approved' },
      { field: 'legacy', before: 'x', after: null },
    ]);
  });
});
