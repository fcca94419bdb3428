/**
 * The Markdown body side by side: the API's line diff (GET …/versions/{a}/diff/{b}), a removed run paired
 * row by row with the added run after it, and within a pair the changed words highlighted (`diff`'s
 * diffWordsWithSpace), so a one-word edit in a long paragraph is easy to find.
 */
import { diffWordsWithSpace } from 'diff';
import type { ReactNode } from 'react';
import type { Schemas } from '../../api/client.ts';

type Line = Schemas['DiffLine'];

interface Row {
  left: string | null;
  right: string | null;
  kind: 'equal' | 'change' | 'remove' | 'add';
}

export function pairLines(lines: readonly Line[]): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    if (line.op === 'equal') {
      rows.push({ left: line.text, right: line.text, kind: 'equal' });
      i++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (i < lines.length && (lines[i] as Line).op === 'remove') removed.push((lines[i++] as Line).text);
    while (i < lines.length && (lines[i] as Line).op === 'add') added.push((lines[i++] as Line).text);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = removed[k] ?? null;
      const right = added[k] ?? null;
      rows.push({ left, right, kind: left !== null && right !== null ? 'change' : left !== null ? 'remove' : 'add' });
    }
  }
  return rows;
}

function words(left: string, right: string): { left: ReactNode[]; right: ReactNode[] } {
  const parts = diffWordsWithSpace(left, right);
  const l: ReactNode[] = [];
  const r: ReactNode[] = [];
  parts.forEach((part, i) => {
    if (part.added)
      r.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff is drawn once; its positions are its identity
        <ins key={i} className="word-add">
          {part.value}
        </ins>,
      );
    else if (part.removed)
      l.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff is drawn once; its positions are its identity
        <del key={i} className="word-remove">
          {part.value}
        </del>,
      );
    else {
      l.push(part.value);
      r.push(part.value);
    }
  });
  return { left: l, right: r };
}

/** Long unchanged stretches fold to a few lines of context either side. */
const CONTEXT = 3;

export function BodyDiff({
  lines,
  a,
  b,
  truncated,
}: {
  lines: readonly Line[];
  a: number;
  b: number;
  truncated?: boolean;
}) {
  const rows = pairLines(lines);
  const near = rows.map((_row, i) =>
    rows.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((r) => r.kind !== 'equal'),
  );
  const out: ReactNode[] = [];
  let hidden = 0;
  rows.forEach((row, i) => {
    if (row.kind === 'equal' && !near[i]) {
      hidden++;
      return;
    }
    if (hidden) {
      out.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff is drawn once; its positions are its identity
        <tr key={`fold${i}`} className="diff-fold">
          <td colSpan={2}>{hidden} unchanged lines</td>
        </tr>,
      );
      hidden = 0;
    }
    const pair = row.kind === 'change' ? words(row.left ?? '', row.right ?? '') : null;
    out.push(
      // biome-ignore lint/suspicious/noArrayIndexKey: a diff is drawn once; its positions are its identity
      <tr key={i} className={`diff-row diff-${row.kind}`}>
        <td className={row.left === null ? 'diff-empty' : row.kind === 'equal' ? '' : 'diff-old'}>
          {row.left !== null && row.kind !== 'equal' ? <span className="visually-hidden">Removed: </span> : null}
          {pair ? pair.left : row.left}
        </td>
        <td className={row.right === null ? 'diff-empty' : row.kind === 'equal' ? '' : 'diff-new'}>
          {row.right !== null && row.kind !== 'equal' ? <span className="visually-hidden">Added: </span> : null}
          {pair ? pair.right : row.right}
        </td>
      </tr>,
    );
  });
  if (hidden)
    out.push(
      <tr key="fold-end" className="diff-fold">
        <td colSpan={2}>{hidden} unchanged lines</td>
      </tr>,
    );
  return (
    <div className="stack">
      {truncated ? (
        <p className="notice small">
          The change is too large to compare line by line; it is shown as removed, then added.
        </p>
      ) : null}
      <table className="body-diff">
        <caption className="visually-hidden">
          Body, version {a} on the left, version {b} on the right
        </caption>
        <thead>
          <tr>
            <th scope="col">Version {a}</th>
            <th scope="col">Version {b}</th>
          </tr>
        </thead>
        <tbody>{out}</tbody>
      </table>
    </div>
  );
}
