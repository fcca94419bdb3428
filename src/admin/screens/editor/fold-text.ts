/**
 * Text folded the way the API compares phrases (lower case, every run of non-letters one space), with the
 * index each folded character came from: to find, in the rich editor, a phrase the API located in the
 * Markdown. Approximate for exotic Unicode (no NFKC per character), exact for what editors type.
 */
export function foldForSearch(text: string): { text: string; origin: number[] } {
  const out: string[] = [' '];
  const origin: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!.toLowerCase();
    if (/[\p{L}\p{N}]/u.test(c)) {
      out.push(c);
      origin.push(i);
    } else if (out[out.length - 1] !== ' ') {
      out.push(' ');
      origin.push(i);
    }
  }
  if (out[out.length - 1] !== ' ') {
    out.push(' ');
    origin.push(text.length);
  }
  return { text: out.join(''), origin };
}
