import { describe, expect, it } from 'vitest';
import {
  evaluateContent,
  scoreQuality,
  type ContentText,
  type QualityBreakdown,
} from '../../../src/services/quality/evaluate-content.ts';
import { syllables, textStats } from '../../../src/services/quality/text-stats.ts';
import type { EditorialPolicy } from '../../../src/services/organizations/policy.ts';

const DISCLAIMER =
  'This material is not investment advice. Past performance is not a reliable indicator of future results.';
const noPolicy: EditorialPolicy = { approvalThreshold: 7, prohibitedPhrases: [], requiredDisclaimer: null };
const withDisclaimer: EditorialPolicy = { ...noPolicy, requiredDisclaimer: DISCLAIMER };

const SENTENCE = 'The central bank kept rates on hold this week, citing sticky services inflation.';
/** `n` paragraphs of plain, readable prose (40 words each). */
const paragraphs = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `Update ${i + 1}. ${SENTENCE} Investors now expect a first cut in the spring. Bond yields fell ` +
      `while the dollar weakened. Shares rallied, led by real estate and utilities.`,
  ).join('\n\n');

const GOOD_TITLE = 'Rates on hold: what the central bank decision means';
const good: ContentText = { type: 'education', title: GOOD_TITLE, body: `## Summary\n\n${paragraphs(4)}` };

const criterion = (b: QualityBreakdown, name: string) => b.criteria.find((c) => c.name === name);
const score = (text: Partial<ContentText>, policy = noPolicy) => scoreQuality({ ...good, ...text }, policy).total;

describe('quality score', () => {
  it('is deterministic: the same input gives the same score and breakdown', () => {
    const first = evaluateContent(good, withDisclaimer);
    for (let i = 0; i < 5; i++) expect(evaluateContent({ ...good }, { ...withDisclaimer })).toEqual(first);
  });

  it('gives well-formed prose full marks, with a breakdown whose criteria add up to the total', () => {
    const b = scoreQuality(good, noPolicy);
    expect(b.total).toBe(10);
    expect(b.criteria.map((c) => [c.name, c.max])).toEqual([
      ['title', 2],
      ['body_length', 3],
      ['structure', 2],
      ['readability', 3],
    ]);
    expect(b.criteria.reduce((sum, c) => sum + c.max, 0)).toBe(10);
    expect(b).toMatchObject({ scorer: 'contentos-quality/1', subtotal: 10, cap: null });
    for (const c of b.criteria) expect(c.detail).toEqual(expect.any(String));
  });

  it('is 0–10 with one decimal for all sorts of input', () => {
    const inputs: Partial<ContentText>[] = [
      { title: 'x', body: '' },
      { title: 'y'.repeat(200), body: 'word '.repeat(5000) },
      {
        title: 'Short',
        body: 'Antidisestablishmentarianism notwithstanding, extraordinarily complicated institutionalization',
      },
      { body: '```\ncode only\n```' },
      { body: '- a\n- b\n- c' },
      { body: '!!! ??? ...' },
    ];
    for (const input of inputs) {
      const { qualityScore } = evaluateContent({ ...good, ...input }, noPolicy);
      expect(qualityScore).toBeGreaterThanOrEqual(0);
      expect(qualityScore).toBeLessThanOrEqual(10);
      expect(Math.round(qualityScore! * 10) / 10).toBe(qualityScore);
    }
  });

  describe('each criterion moves the score the right way', () => {
    it.each([
      [10, 0.7],
      [20, 1.3],
      [30, 2],
      [90, 2],
      [145, 1.5],
      [200, 1],
    ])('title: %i characters score %s of 2', (length, expected) => {
      expect(criterion(scoreQuality({ ...good, title: 'r'.repeat(length) }, noPolicy), 'title')!.score).toBe(expected);
    });

    it('title: ideal length beats too short and too long', () => {
      expect(score({ title: 'Rates' })).toBeLessThan(score({}));
      expect(score({ title: 'r'.repeat(180) })).toBeLessThan(score({}));
    });

    it('body length: scales with words up to 150, then stays full', () => {
      const words = (n: number) => `${Array.from({ length: n }, () => 'rates').join(' ')}.`;
      const at = (n: number) => criterion(scoreQuality({ ...good, body: words(n) }, noPolicy), 'body_length')!;
      expect(at(0).score).toBe(0);
      expect(at(50).score).toBe(1);
      expect(at(75).score).toBe(1.5);
      expect(at(150).score).toBe(3);
      expect(at(400).score).toBe(3);
      expect(at(75).detail).toBe('75 words (150 or more for full marks)');
      expect(scoreQuality({ ...good, body: paragraphs(1) }, noPolicy).total).toBeLessThan(score({}));
    });

    it('structure: a long body in one block loses the paragraph point; 300+ words without headings or lists lose the section point', () => {
      const oneBlock = paragraphs(4).replaceAll('\n\n', ' ');
      expect(criterion(scoreQuality({ ...good, body: oneBlock }, noPolicy), 'structure')).toMatchObject({
        score: 1.5,
        detail: expect.stringContaining('needs at least 2'),
      });
      const long = paragraphs(8);
      expect(criterion(scoreQuality({ ...good, body: long }, noPolicy), 'structure')).toMatchObject({
        score: 1,
        detail: expect.stringContaining('needed from 300 words'),
      });
      expect(criterion(scoreQuality({ ...good, body: `## Outlook\n\n${long}` }, noPolicy), 'structure')!.score).toBe(2);
      expect(criterion(scoreQuality({ ...good, body: `${long}\n\n- one\n- two` }, noPolicy), 'structure')!.score).toBe(
        2,
      );
      // A short note needs neither a second paragraph nor headings, but some text to judge.
      expect(
        criterion(scoreQuality({ ...good, body: paragraphs(2).replaceAll('\n\n', ' ') }, noPolicy), 'structure')!.score,
      ).toBe(2);
      expect(criterion(scoreQuality({ ...good, body: SENTENCE }, noPolicy), 'structure')).toMatchObject({
        score: 0.5,
        detail: expect.stringContaining('scaled by 13/50 words'),
      });
      expect(criterion(scoreQuality({ ...good, body: '' }, noPolicy), 'structure')!.score).toBe(0);
    });

    it('readability: long sentences of long words score lower than short plain ones; too little text scales down', () => {
      const r = (body: string) => criterion(scoreQuality({ ...good, body }, noPolicy), 'readability')!;
      const plain = 'We cut rates. Prices fell. Jobs held up. Shares rose. '.repeat(10);
      expect(r('We cut rates. Prices fell.').score).toBe(0.3);
      const dense =
        'Notwithstanding considerable macroeconomic uncertainty, institutional investors systematically ' +
        'reallocated portfolio exposures toward comparatively undervalued international securities, ' +
        'anticipating accommodative monetary policy normalization. '.repeat(5);
      expect(r(plain).score).toBe(3);
      expect(r(dense).score).toBe(0);
      expect(r(dense).detail).toMatch(/^Flesch reading ease -?\d+(\.\d)? \(50\+ for full marks\): 5 sentences/);
      expect(r('').detail).toBe('no body text to read');
      expect(r('').score).toBe(0);
    });
  });

  describe('required disclaimer', () => {
    const market = (body: string): ContentText => ({ type: 'market_update', title: GOOD_TITLE, body });

    it('caps market_update and news_analysis at 5 when the organization requires one and it is missing; the breakdown says why', () => {
      for (const type of ['market_update', 'news_analysis'] as const) {
        const b = scoreQuality({ ...good, type }, withDisclaimer);
        expect(b.subtotal).toBe(10);
        expect(b.total).toBe(5);
        expect(b.cap).toEqual({
          limit: 5,
          reason: `${type} content must include the organization's required disclaimer`,
        });
        expect(criterion(b, 'disclaimer')).toEqual({
          name: 'disclaimer',
          score: 0,
          max: 0,
          detail: 'the required disclaimer is missing: the score is capped at 5',
        });
      }
    });

    it('no cap when present (case and line wrapping aside)', () => {
      const body = `${good.body}\n\n${DISCLAIMER.toUpperCase().replace('. ', '.\n')}`;
      const b = scoreQuality(market(body), withDisclaimer);
      expect(b.cap).toBeNull();
      expect(b.total).toBe(10);
      expect(criterion(b, 'disclaimer')!.detail).toBe('the required disclaimer is present');
    });

    it('a low score below the cap stays as it is; a one-line body never passes the default threshold', () => {
      const b = scoreQuality(market('Short.'), withDisclaimer);
      expect(scoreQuality({ ...good, body: 'Short.' }, noPolicy).total).toBeLessThan(3);
      expect(b.subtotal).toBeLessThan(5);
      expect(b.total).toBe(b.subtotal);
      expect(b.cap).not.toBeNull();
    });

    it('not required for education and custom content, nor when the organization has no disclaimer', () => {
      for (const type of ['education', 'custom'] as const) {
        const b = scoreQuality({ ...good, type }, withDisclaimer);
        expect(b.total).toBe(10);
        expect(criterion(b, 'disclaimer')).toBeUndefined();
      }
      expect(scoreQuality(market(good.body), noPolicy).total).toBe(10);
      expect(scoreQuality(market(good.body), { ...noPolicy, requiredDisclaimer: '   ' }).total).toBe(10);
    });
  });

  it('flags prohibited phrases in the title or the body, as the policy spells them', () => {
    const policy = { ...noPolicy, prohibitedPhrases: ['Guaranteed Returns', 'risk-free', 'moonshot'] };
    expect(evaluateContent({ ...good, title: 'Risk free income' }, policy).flaggedPhrases).toEqual(['risk-free']);
    expect(evaluateContent({ ...good, body: `${good.body}\n\nGuaranteed  returns!` }, policy).flaggedPhrases).toEqual([
      'Guaranteed Returns',
    ]);
    expect(evaluateContent(good, policy).flaggedPhrases).toEqual([]);
  });
});

describe('text statistics', () => {
  it.each([
    ['the', 1],
    ['rates', 1],
    ['make', 1],
    ['table', 2],
    ['market', 2],
    ['inflation', 3],
    ['yesterday', 3],
    ['2024', 1],
    ['institutional', 5],
  ])('%s has %i syllable(s)', (word, expected) => {
    expect(syllables(word)).toBe(expected);
  });

  it('counts headings and list items as sentences, leaves out code and link targets', () => {
    const stats = textStats(
      '# Title here\n\nOne sentence. Two sentences!\n\n- item one\n- item two\n\n```\nignored code words ' +
        'here\n```\n\n[a link](https://example.com/very/long/url)',
    );
    expect(stats).toMatchObject({ headings: 1, listItems: 2, paragraphs: 4, sentences: 6 });
    expect(stats.words).toBe(2 + 4 + 4 + 2);
  });

  it('does not split sentences on decimals', () => {
    expect(textStats('Yields rose 2.5 percent today. Then fell.').sentences).toBe(2);
  });
});
