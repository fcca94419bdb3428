import { matchKey } from './phrase-matching.ts';

/** Where a phrase occurs in a text: UTF-16 offsets into the text as sent, end exclusive, and the words found. */
export interface PhraseMatch {
  start: number;
  end: number;
  text: string;
}

/** At most this many matches are reported per phrase and text: enough to jump through, bounded in size. */
export const MAX_MATCHES_PER_PHRASE = 50;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

/** A letter or digit, as matchKey keeps them; ASCII without the regex, since it is almost every character. */
function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (c.length === 1 && code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  return LETTER_OR_DIGIT.test(c);
}

/**
 * The text in the form `matchKey` gives, with each character's origin in the original text, so a match
 * found in the folded form can be pointed at in what the writer typed. A code point and the combining
 * marks after it are folded together (NFKC composes across them, e.g. "e" + U+0301 is the letter "é");
 * a lone ASCII character, almost all of a body, takes a fast path. One pass, linear in the text (docs/decisions/0025).
 */
interface FoldedText {
  /** ` key ` with a space on each side, as findPhrases searches it. */
  haystack: string;
  /** For each character of haystack: the start and end of the original characters it came from. */
  from: Int32Array;
  to: Int32Array;
}

function fold(text: string): FoldedText {
  const chars: string[] = [' '];
  const from: number[] = [0];
  const to: number[] = [0];
  const push = (c: string, start: number, end: number) => {
    if (isWordChar(c)) {
      chars.push(c);
      from.push(start);
      to.push(end);
    } else if (chars[chars.length - 1] !== ' ') {
      chars.push(' ');
      from.push(start);
      to.push(end);
    }
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    let end = i + (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1);
    while (end < text.length) {
      const next = text.codePointAt(end)!;
      if (next < 0x300 || !MARK.test(String.fromCodePoint(next))) break;
      end += next > 0xffff ? 2 : 1;
    }
    if (code < 0x80 && end === i + 1) {
      const lower = code >= 0x41 && code <= 0x5a ? code + 32 : code;
      const word = (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39);
      push(word ? String.fromCharCode(lower) : ' ', i, end);
    } else {
      for (const c of text.slice(i, end).normalize('NFKC').toLowerCase()) push(c, i, end);
    }
    i = end;
  }
  if (chars[chars.length - 1] !== ' ') {
    chars.push(' ');
    from.push(text.length);
    to.push(text.length);
  }
  return { haystack: chars.join(''), from: Int32Array.from(from), to: Int32Array.from(to) };
}

/**
 * Every whole-word occurrence of each phrase in the text, matched exactly as `findPhrases` matches (same
 * folding, whole words), keyed by the phrase as the policy spells it. Phrases without a match are absent.
 * Linear per phrase: `indexOf` moves forward only.
 */
export function locatePhrases(text: string, phrases: readonly string[]): Map<string, PhraseMatch[]> {
  const result = new Map<string, PhraseMatch[]>();
  if (phrases.length === 0 || text === '') return result;
  const folded = fold(text);
  for (const phrase of phrases) {
    const key = matchKey(phrase);
    if (key === '' || result.has(phrase)) continue;
    const needle = ` ${key} `;
    const matches: PhraseMatch[] = [];
    for (
      let at = folded.haystack.indexOf(needle);
      at !== -1 && matches.length < MAX_MATCHES_PER_PHRASE;
      // The closing space may open the next match: "a a" twice in "a a a a".
      at = folded.haystack.indexOf(needle, at + needle.length - 1)
    ) {
      const start = folded.from[at + 1]!;
      const end = folded.to[at + key.length]!;
      matches.push({ start, end, text: text.slice(start, end) });
    }
    if (matches.length > 0) result.set(phrase, matches);
  }
  return result;
}
