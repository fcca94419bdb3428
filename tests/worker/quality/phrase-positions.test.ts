import { describe, expect, it } from 'vitest';
import { findPhrases } from '../../../src/services/quality/phrase-matching.ts';
import { locatePhrases, MAX_MATCHES_PER_PHRASE } from '../../../src/services/quality/phrase-positions.ts';

const PHRASES = ['guaranteed returns', 'risk-free', 'café crème', 'ﬁx'];

describe('locatePhrases: where findPhrases matched', () => {
  it('finds a phrase whenever findPhrases does, on ordinary and folded text', () => {
    const texts = [
      'Guaranteed  returns!',
      '**Risk**-free, cafe\u0301 cre\u0300me',
      'riskfree guaranteedreturns',
      'fix the ﬁx',
      'Ｒｉｓｋ－ｆｒｅｅ',
      'unguaranteed returnsx',
      '',
    ];
    for (const text of texts) {
      const located = [...locatePhrases(text, PHRASES).keys()];
      expect(located, text).toEqual(findPhrases([text], PHRASES));
    }
  });

  it('gives offsets into the original text, combining marks and surrogate pairs included', () => {
    const text = '😀 Café\u0301 cafe\u0301 cre\u0300me — RISK free';
    const matches = locatePhrases(text, PHRASES);
    const cafe = matches.get('café crème')!;
    expect(cafe).toHaveLength(1);
    expect(text.slice(cafe[0]!.start, cafe[0]!.end)).toBe('cafe\u0301 cre\u0300me');
    expect(matches.get('risk-free')![0]!.text).toBe('RISK free');
  });

  it('finds every occurrence, overlapping words shared, up to the cap', () => {
    expect(
      locatePhrases('a a a a', ['a a'])
        .get('a a')!
        .map((m) => m.start),
    ).toEqual([0, 4]);
    const many = 'risk free. '.repeat(MAX_MATCHES_PER_PHRASE + 10);
    expect(locatePhrases(many, ['risk-free']).get('risk-free')).toHaveLength(MAX_MATCHES_PER_PHRASE);
  });
});
