import type { TextStats } from './text-stats.ts';

export type CriterionName = 'title' | 'body_length' | 'structure' | 'readability' | 'disclaimer';

export type Criterion = { name: CriterionName; score: number; max: number; detail: string };

/**
 * The weights, out of 10. Changing one changes every future score, so bump SCORER in evaluate-content.ts too.
 * - title 2: 30–90 characters reads as a headline; shorter is scaled down to 0, longer down to 1 at 200.
 * - body_length 3: 150 words or more; fewer scale linearly.
 * - structure 2: 1 for paragraphs (a body of 150+ words needs at least two), 1 for headings or lists
 *   (required only from 300 words: a short note needs no sub-headings).
 * - readability 3: Flesch reading ease 50 or more ("fairly difficult" and easier) is full marks, 10 or
 *   less is none, linear between; financial prose sits around 30–50, so the scale is set there.
 * Structure and readability need some text to mean anything: below MEASURABLE_WORDS they scale by
 * words / MEASURABLE_WORDS, so a one-line body cannot score well on its brevity.
 * - disclaimer 0: not points but a cap (see DISCLAIMER_CAP) for types that must carry the organization's disclaimer.
 */
export const WEIGHTS = { title: 2, body_length: 3, structure: 2, readability: 3 } as const;

export const TITLE_IDEAL = { min: 30, max: 90, longest: 200 } as const;
export const FULL_BODY_WORDS = 150;
export const SECTIONED_BODY_WORDS = 300;
export const READING_EASE = { full: 50, none: 10 } as const;
export const MEASURABLE_WORDS = 50;

/** Rounded to one decimal, the precision scores are shown and stored with. */
export const round1 = (value: number) => Math.round((value + Number.EPSILON) * 10) / 10;

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const measurable = (stats: TextStats) => clamp01(stats.words / MEASURABLE_WORDS);
const tooShort = (stats: TextStats) =>
  stats.words < MEASURABLE_WORDS ? `; scaled by ${stats.words}/${MEASURABLE_WORDS} words` : '';

export function titleCriterion(title: string): Criterion {
  const length = [...title.trim()].length;
  const { min, max, longest } = TITLE_IDEAL;
  const share = length < min ? length / min : length <= max ? 1 : 1 - 0.5 * clamp01((length - max) / (longest - max));
  const verdict = length < min ? 'shorter than' : length <= max ? 'within' : 'longer than';
  return {
    name: 'title',
    score: round1(WEIGHTS.title * share),
    max: WEIGHTS.title,
    detail: `${length} characters, ${verdict} the ideal ${min}–${max}`,
  };
}

export function bodyLengthCriterion(stats: TextStats): Criterion {
  return {
    name: 'body_length',
    score: round1(WEIGHTS.body_length * clamp01(stats.words / FULL_BODY_WORDS)),
    max: WEIGHTS.body_length,
    detail: `${stats.words} words (${FULL_BODY_WORDS} or more for full marks)`,
  };
}

export function structureCriterion(stats: TextStats): Criterion {
  const long = stats.words >= FULL_BODY_WORDS;
  const paragraphs = stats.words === 0 ? 0 : !long || stats.paragraphs >= 2 ? 1 : 0.5;
  const needsSections = stats.words >= SECTIONED_BODY_WORDS;
  const sections = stats.words === 0 ? 0 : !needsSections || stats.headings + stats.listItems > 0 ? 1 : 0;
  const parts = [
    `${stats.paragraphs} paragraph${stats.paragraphs === 1 ? '' : 's'}${long && stats.paragraphs < 2 ? ' (a body this long needs at least 2)' : ''}`,
    `${stats.headings} heading${stats.headings === 1 ? '' : 's'}, ${stats.listItems} list item${stats.listItems === 1 ? '' : 's'}` +
      (needsSections && sections === 0 ? ` (needed from ${SECTIONED_BODY_WORDS} words)` : ''),
  ];
  return {
    name: 'structure',
    score: round1((WEIGHTS.structure / 2) * (paragraphs + sections) * measurable(stats)),
    max: WEIGHTS.structure,
    detail: parts.join('; ') + tooShort(stats),
  };
}

export function readabilityCriterion(stats: TextStats): Criterion {
  if (stats.readingEase === null)
    return { name: 'readability', score: 0, max: WEIGHTS.readability, detail: 'no body text to read' };
  const { full, none } = READING_EASE;
  const share = clamp01((stats.readingEase - none) / (full - none));
  return {
    name: 'readability',
    score: round1(WEIGHTS.readability * share * measurable(stats)),
    max: WEIGHTS.readability,
    detail:
      `Flesch reading ease ${round1(stats.readingEase)} (${full}+ for full marks): ${stats.sentences} ` +
      `sentences, ${round1(stats.words / stats.sentences)} words and ${round1(stats.syllables / stats.words)} ` +
      `syllables per word${tooShort(stats)}`,
  };
}
