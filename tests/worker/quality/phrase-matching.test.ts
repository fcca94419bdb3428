import { describe, expect, it } from 'vitest';
import { containsText, findPhrases, matchKey } from '../../../src/services/quality/phrase-matching.ts';

describe('prohibited phrase matching', () => {
  const cases: Array<[label: string, text: string, phrases: string[], found: string[]]> = [
    ['exact', 'We offer guaranteed returns.', ['guaranteed returns'], ['guaranteed returns']],
    [
      'case and doubled whitespace, trailing punctuation',
      'Guaranteed  returns!',
      ['guaranteed returns'],
      ['guaranteed returns'],
    ],
    ['line break between the words', 'Guaranteed\nreturns for all', ['guaranteed returns'], ['guaranteed returns']],
    [
      'Markdown emphasis around the phrase',
      'This is **guaranteed returns**, really',
      ['guaranteed returns'],
      ['guaranteed returns'],
    ],
    ['returned as the policy spells it', 'guaranteed returns', ['Guaranteed Returns'], ['Guaranteed Returns']],
    ['hyphen in the text, space in the policy', 'A Risk-free bet', ['risk free'], ['risk free']],
    ['space in the text, hyphen in the policy', 'a risk free bet', ['risk-free'], ['risk-free']],
    ['en dash and slash are separators too', 'risk–free and risk/free', ['risk-free'], ['risk-free']],
    ['no separator is another word', 'a riskfree bet', ['risk-free'], []],
    ['whole words only: prefix', 'unguaranteed returns', ['guaranteed returns'], []],
    ['whole words only: suffix', 'guaranteed returnsx', ['guaranteed returns'], []],
    ['words apart are not the phrase', 'guaranteed, say, returns', ['guaranteed returns'], []],
    ['single word inside another word', 'Scamper away', ['scam'], []],
    ['single word', 'This is a scam.', ['scam'], ['scam']],
    ['at the very start and end', 'scam', ['scam'], ['scam']],
    [
      'several, in policy order, each once',
      'No loss. Sure thing! no loss',
      ['sure thing', 'no loss', 'moon'],
      ['sure thing', 'no loss'],
    ],
    ['equivalent policy spellings report the first', 'risk free', ['risk-free', 'Risk Free'], ['risk-free']],
    ['a phrase of punctuation matches nothing', '!!! ???', ['!!!'], []],
    ['non-ASCII letters', 'Rendite garantiert für alle', ['rendite garantiert'], ['rendite garantiert']],
    [
      'compatibility forms (full-width letters)',
      'ＧＵＡＲＡＮＴＥＥＤ returns',
      ['guaranteed returns'],
      ['guaranteed returns'],
    ],
    ['empty policy', 'guaranteed returns', [], []],
  ];
  it.each(cases)('%s', (_label, text, phrases, found) => {
    expect(findPhrases([text], phrases)).toEqual(found);
  });

  it('never matches across the end of one text and the start of the next (title, body)', () => {
    expect(findPhrases(['Why guaranteed', 'returns do not exist'], ['guaranteed returns'])).toEqual([]);
    expect(findPhrases(['Title', 'guaranteed returns'], ['guaranteed returns'])).toEqual(['guaranteed returns']);
  });

  it('match keys fold case, width and every run of non-alphanumerics', () => {
    expect(matchKey('  Risk-FREE —  returns!! ')).toBe('risk free returns');
    expect(matchKey('--')).toBe('');
  });
});

describe('required disclaimer containment', () => {
  const disclaimer = 'Not investment advice. Past performance is no guide.';
  it.each([
    ['verbatim', `Body.\n\n${disclaimer}`, true],
    ['different case and wrapped lines', 'Body.\n\nNOT investment advice.\nPast   performance is no guide.', true],
    ['inside emphasis', `_${disclaimer}_`, true],
    ['punctuation changed', 'Not investment advice, past performance is no guide.', false],
    ['a word missing', 'Not investment advice. Past performance is guide.', false],
    ['absent', 'Just the body.', false],
  ] as const)('%s → %s', (_label, text, expected) => {
    expect(containsText(text, disclaimer)).toBe(expected);
  });

  it('an empty requirement is never "contained"', () => {
    expect(containsText('anything', '   ')).toBe(false);
  });
});
