import { describe, expect, it } from 'vitest';
import { countSentences, linkTexts } from '../../../src/services/quality/scanners.ts';
import { normalBody } from './adversarial-text.ts';

// The regexes the scanners replaced, kept here as the reference: on text short enough for their
// backtracking not to matter, the scanners must give exactly what they gave.
const linkTextsByRegex = (line: string) => line.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
const countSentencesByRegex = (block: string) =>
  block.split(/[.!?]+["'’”)\]]*(?=\s|$)/g).filter((piece) => /[\p{L}\p{N}]/u.test(piece)).length;

const NORMAL_LINES = [
  '',
  'Plain prose without any markup.',
  'See [the statement](https://example.com/statement) for details.',
  'An image ![the chart](https://example.com/chart.png) and [a link](/x) on one line.',
  '[first](a) [second](b)[third](c)',
  '![alt]() and [](empty) and [text]()',
  'Not a link: [a] (b), [a]b(c), and [unclosed(d).',
  'Brackets inside: [[nested]](x) and [a [b] c](d) and [a](b (c)).',
  'A bang! [then a link](x) and !not an image [x](y)',
  'Trailing [open bracket',
  'Trailing [text](open target',
  '[a](b)](c)',
  'Footnote[^1] and [ref][id] and <https://example.com>.',
  '**Bold [link](x)** and _emphasis_ and `code [x](y)`.',
];

const NORMAL_BLOCKS = [
  '',
  'One sentence. Two sentences! Three? Four.',
  'Yields rose 2.5 percent today. Then fell.',
  'He said "no." She said \u2018yes.\u2019 They left (quietly.) The end.',
  'Wow!!! Really?! Fine...',
  'e.g. this is one sentence, i.e. it does not end at the abbreviation',
  'Trailing words without a full stop',
  '. . . Leading dots, then a sentence.',
  'Ends with a closer.) And another."] Last one”',
  'Tabs\tand\u00a0no-break spaces. Still two\u2003sentences.',
  '1. 2. 3. Numbers as sentences?',
  'Mixed CJK 文章です。 and Cyrillic текст. Done.',
  'Astral letters 𝐀𝐁. And more 𝐂.',
];

/** A seeded generator, so a failure names an input that can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short strings over the characters both patterns care about, plus letters, digits and odd whitespace. */
function fuzzInputs(count: number, alphabet: string[], seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(next() * 24) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
}

describe('linkTexts: the same result as the link regex it replaced', () => {
  it.each(NORMAL_LINES)('%j', (line) => {
    expect(linkTexts(line)).toBe(linkTextsByRegex(line));
  });

  it('on every line of ordinary Markdown', () => {
    for (const line of normalBody(4000).split('\n')) expect(linkTexts(line)).toBe(linkTextsByRegex(line));
  });

  it('on 20,000 random short lines of brackets, parentheses, bangs and text', () => {
    const alphabet = ['[', ']', '(', ')', '!', 'a', 'b', ' ', '\\', '.'];
    for (const line of fuzzInputs(20_000, alphabet, 1))
      expect(linkTexts(line), JSON.stringify(line)).toBe(linkTextsByRegex(line));
  });
});

describe('countSentences: the same count as the sentence regex it replaced', () => {
  it.each(NORMAL_BLOCKS)('%j', (block) => {
    expect(countSentences(block)).toBe(countSentencesByRegex(block));
  });

  it('on every paragraph of ordinary Markdown', () => {
    for (const block of normalBody(4000).split('\n\n')) {
      const joined = block.split('\n').join(' ');
      expect(countSentences(joined)).toBe(countSentencesByRegex(joined));
    }
  });

  it('on 20,000 random short blocks of terminators, closers, whitespace of every kind and words', () => {
    const alphabet = ['.', '!', '?', '"', "'", '’', '”', ')', ']', '(', 'a', '1', 'é', '𝐀', '-', ' ', '\t', '\u00a0'];
    const spaces = ['\u2028', '\ufeff', '\v', '\f', '\u3000', '\u200b', '\u180e', '\r'];
    for (const block of fuzzInputs(20_000, [...alphabet, ...spaces], 2))
      expect(countSentences(block), JSON.stringify(block)).toBe(countSentencesByRegex(block));
  });
});
