/**
 * The form two phrases are compared in: Unicode-compatible (NFKC), lower-case, and every run of characters
 * that are not letters or digits (spaces, hyphens, dashes, punctuation, Markdown emphasis) folded into one
 * space. So "risk-free", "Risk free" and "risk — free" are one phrase, and "**Guaranteed**  returns!" reads
 * "guaranteed returns". A phrase with no letter or digit has an empty key and matches nothing.
 */
export function matchKey(text: string): string {
  // Two passes: replacing only the non-space separators first is several times faster on a long body
  // than one pass that rewrites every single space too.
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * The phrases found in any of the texts, whole words only ("guaranteed returns" does not match
 * "unguaranteed returnsx"), each returned as the policy spells it, in policy order, once. Texts are searched
 * one by one so a phrase cannot straddle the end of the title and the start of the body.
 */
export function findPhrases(texts: readonly string[], phrases: readonly string[]): string[] {
  const haystacks = texts.map((text) => ` ${matchKey(text)} `);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const phrase of phrases) {
    const key = matchKey(phrase);
    if (key === '' || seen.has(key)) continue;
    if (haystacks.some((haystack) => haystack.includes(` ${key} `))) {
      seen.add(key);
      found.push(phrase);
    }
  }
  return found;
}

/** Whitespace-normalized, case-insensitive containment: the disclaimer's wording and punctuation must be kept. */
export function containsText(text: string, required: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\S ]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim();
  const needle = fold(required);
  return needle !== '' && fold(text).includes(needle);
}
