/**
 * Bodies built to make a text scanner backtrack: the shapes that took the old scorer seconds (a run of dots
 * before a letter, a run of `[`, `[a](` repeated), and their relatives for every other pattern the save path
 * runs (docs/decisions/0025-linear-text-scanning.md). Shared by the API and scorer tests and the
 * benchmark's scoring section (bench/scoring.ts), so all three guard the same list.
 */

export interface AdversarialBody {
  name: string;
  body: string;
}

/** Every ASCII punctuation mark: each one is a delimiter or marker somewhere in Markdown or in a pattern. */
export const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** What may follow a sentence's full stop before the space that ends it. */
const SENTENCE_CLOSERS = `"')]’”`;

/** `unit` repeated to `size` UTF-16 code units (cut at the end when it does not divide). */
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Repeated units: alternations that leave every start position one step from a match. */
const REPEATED = [
  'a.',
  'a!',
  'a?',
  '.)',
  'a.)',
  '[a](',
  '[a]',
  '](',
  '[](',
  '![',
  '![a](',
  '[[',
  'http://',
  'https://',
  'http:// ',
  'ab-',
  "a'",
  'a’',
  '- ',
  '* ',
  '1. ',
  '# ',
  '> ',
  '*a',
  '_a',
  '`a',
  '|a',
  '```\n',
  '~~~\n',
  '- \n',
  '# x\n',
  ' \n',
  '\r\n',
  '𝐀',
  '—',
];

/**
 * The hostile bodies at about `size` characters each: runs of each ASCII punctuation mark, repeated
 * alternations, whitespace runs, one enormous word, and Unicode marks the patterns treat specially.
 */
export function adversarialBodies(size: number): AdversarialBody[] {
  const run = (ch: string) => fill(ch, size);
  return [
    // A sentence ends at . ! ? and any closers before a space: runs of them that end in a letter instead.
    ...[...'.!?'].map((ch) => ({ name: `a + run of ${ch} + x`, body: `a${run(ch)}x` })),
    ...[...SENTENCE_CLOSERS].map((ch) => ({ name: `a. + run of ${ch} + x`, body: `a.${run(ch)}x` })),
    { name: 'dots + closing brackets + x', body: `a${fill('.', size / 2)}${fill(']', size / 2)}x` },
    { name: 'nested brackets', body: `${fill('[', size / 2)}${fill(']', size / 2)}` },
    { name: 'nested brackets and parens', body: `${fill('[', size / 2)}${fill('](', size / 2)}` },
    ...[...ASCII_PUNCTUATION].map((ch) => ({ name: `run of ${ch}`, body: run(ch) })),
    ...REPEATED.map((unit) => ({ name: `${JSON.stringify(unit)} repeated`, body: fill(unit, size) })),
    { name: 'spaces between letters', body: `a${run(' ')}x` },
    { name: 'spaces then a list marker', body: `${run(' ')}- x` },
    { name: 'tabs then a letter', body: `${run('\t')}x` },
    { name: 'blank lines', body: run('\n') },
    { name: 'carriage returns', body: `a${run('\r')}x` },
    { name: 'no-break spaces', body: `a${run('\u00a0')}x` },
    { name: 'one long word', body: run('a') },
    { name: 'one long word of e', body: run('e') },
    { name: 'one long number', body: run('1') },
    { name: 'one long accented word', body: run('é') },
    { name: 'a sentence per word', body: fill('Go. ', size) },
  ];
}

/** Ordinary prose of about `size` characters: headings, paragraphs, a list, links and a code fence. */
export function normalBody(size: number): string {
  const section = [
    '## Rates on hold',
    '',
    'The central bank kept rates on hold this week, citing sticky services inflation. Investors now expect ' +
      'a first cut in the spring; see [the statement](https://example.com/statement) and ' +
      '![the chart](https://example.com/chart.png). Bond yields fell while the dollar weakened.',
    '',
    '- Shares rallied, led by real estate and utilities.',
    '- Oil slipped as inventories built for a *third* week.',
    '',
    '```',
    'yield = coupon / price',
    '```',
    '',
    '> "Policy is well placed," the governor said. Markets took her at her word!',
    '',
    '',
  ].join('\n');
  return fill(section, size);
}
