import { countSentences, linkTexts } from './scanners.ts';

/** What the scorer measures of a Markdown body. Pure and deterministic: same text, same numbers. */
export interface TextStats {
  words: number;
  sentences: number;
  syllables: number;
  /** Blocks separated by blank lines that hold at least one word (headings and lists included). */
  paragraphs: number;
  headings: number;
  listItems: number;
  /** Flesch reading ease, or null when there is no text to read. */
  readingEase: number | null;
}

const WORD = /[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu;
const HEADING = /^\s{0,3}#{1,6}\s+/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const FENCE = /^\s{0,3}(?:```|~~~)/;

/**
 * English syllables by the usual heuristic: groups of vowels, less a silent final "e"/"es"/"ed" (but not
 * "-le"), a leading "y" being a consonant, and never fewer than one. Words of three letters or fewer, and
 * numbers, count as one. Exact counts need a dictionary; a score only needs the same answer every time.
 */
export function syllables(word: string): number {
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length <= 3) return 1;
  const trimmed = letters.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, trimmed.match(/[aeiouy]+/g)?.length ?? 0);
}

export const wordsOf = (text: string): string[] => text.match(WORD) ?? [];

/** Markup that is not prose: link targets, bare URLs, inline code markers, emphasis characters. */
function proseOf(line: string): string {
  return linkTexts(line)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[`*_~>|]/g, ' ');
}

/**
 * Headings and list items are sentences of their own even without a full stop, and a blank line ends a
 * paragraph (and its last sentence): otherwise a bulleted list would read as one endless sentence.
 * Fenced code is left out of every count.
 */
export function textStats(body: string): TextStats {
  const stats = { words: 0, sentences: 0, syllables: 0, paragraphs: 0, headings: 0, listItems: 0 };
  let inFence = false;
  let paragraph: string[] = [];
  let paragraphHasWords = false;
  // Prose repeats its words; counting each distinct word's syllables once keeps a long body cheap.
  const syllableCache = new Map<string, number>();
  const syllablesOf = (word: string) => {
    let count = syllableCache.get(word);
    if (count === undefined) {
      count = syllables(word);
      syllableCache.set(word, count);
    }
    return count;
  };
  const endParagraph = () => {
    if (paragraph.length > 0) stats.sentences += countSentences(paragraph.join(' '));
    if (paragraphHasWords) stats.paragraphs++;
    paragraph = [];
    paragraphHasWords = false;
  };
  for (const raw of body.split(/\r?\n/)) {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (raw.trim() === '') {
      endParagraph();
      continue;
    }
    const isHeading = HEADING.test(raw);
    const isListItem = !isHeading && LIST_ITEM.test(raw);
    const prose = proseOf(raw.replace(HEADING, '').replace(LIST_ITEM, ''));
    const words = wordsOf(prose);
    if (words.length === 0) continue;
    paragraphHasWords = true;
    stats.words += words.length;
    stats.syllables += words.reduce((sum, word) => sum + syllablesOf(word), 0);
    if (isHeading || isListItem) {
      if (isHeading) stats.headings++;
      else stats.listItems++;
      // What came before the heading or item is a sentence of its own, and so is the line itself.
      if (paragraph.length > 0) stats.sentences += countSentences(paragraph.join(' '));
      paragraph = [];
      stats.sentences += Math.max(1, countSentences(prose));
    } else {
      paragraph.push(prose);
    }
  }
  endParagraph();
  return { ...stats, readingEase: readingEase(stats.words, stats.sentences, stats.syllables) };
}

/** Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. */
export function readingEase(words: number, sentences: number, syllableCount: number): number | null {
  if (words === 0 || sentences === 0) return null;
  return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllableCount / words);
}
