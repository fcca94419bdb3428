/**
 * One-pass scanners for the two shapes the scorer used to find with backtracking regexes, which took
 * quadratic time on hostile text: `/!?\[([^\]]*)\]\([^)]*\)/g` re-scanned to the end of the line from every
 * `[` that had no `](…)` after it, and `/[.!?]+["'’”)\]]*(?=\s|$)/g` from every `.` in a run not followed by a
 * space. Both give exactly what the regexes gave (tests/worker/quality/scanners.test.ts compares them),
 * in time linear in the text (docs/decisions/0025-linear-text-scanning.md).
 */

const OPEN_PAREN = 0x28;
const BANG = 0x21;

/**
 * Markdown links and images reduced to their text: `[text](target)` and `![alt](target)` become `text` and
 * `alt`, leftmost first, as `line.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')` does. A link's text runs to the
 * first `]` after its `[`, and its target to the first `)` after the `](`; those two positions only move
 * forward as the scan does, so each is searched for once per stretch of text, never again from every `[`.
 */
export function linkTexts(line: string): string {
  let out = '';
  let copied = 0;
  let close = -1;
  let paren = -1;
  for (let open = line.indexOf('['); open !== -1; open = line.indexOf('[', open + 1)) {
    if (close <= open) {
      close = line.indexOf(']', open + 1);
      // No `]` left: no later `[` can start a link either.
      if (close === -1) break;
    }
    if (line.charCodeAt(close + 1) !== OPEN_PAREN) continue;
    if (paren < close + 2) {
      paren = line.indexOf(')', close + 2);
      if (paren === -1) break;
    }
    const start = open > copied && line.charCodeAt(open - 1) === BANG ? open - 1 : open;
    out += line.slice(copied, start) + line.slice(open + 1, close);
    copied = paren + 1;
    open = paren;
  }
  return copied === 0 ? line : out + line.slice(copied);
}

const WHITESPACE = /\s+/;
const HAS_WORD = /[\p{L}\p{N}]/u;
const TERMINATORS = '.!?';
const CLOSERS = `"'’”)]`;

/**
 * A sentence ends with `.`, `!` or `?`, then any closing quotes or brackets, then whitespace or the end of
 * the text: so it ends exactly where a whitespace-separated token does, and only a token whose tail after
 * its closers is a terminator ends one. Sentences are counted when they hold a word (letter or digit), as
 * `block.split(/[.!?]+["'’”)\]]*(?=\s|$)/).filter(hasWord).length` counted them.
 */
export function countSentences(block: string): number {
  let sentences = 0;
  let hasWord = false;
  for (const token of block.split(WHITESPACE)) {
    if (!hasWord) hasWord = HAS_WORD.test(token);
    if (hasWord && endsSentence(token)) {
      sentences++;
      hasWord = false;
    }
  }
  return hasWord ? sentences + 1 : sentences;
}

function endsSentence(token: string): boolean {
  let last = token.length - 1;
  while (last >= 0 && CLOSERS.includes(token[last]!)) last--;
  return last >= 0 && TERMINATORS.includes(token[last]!);
}
