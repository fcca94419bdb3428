/**
 * The Markdown a save stores, so that version diffs show real changes only (docs/decisions/0039): the body
 * has already been through TipTap's serializer (one spelling per construct: `**bold**`, `*italic*`, `-`
 * bullets), and this pass settles what the serializer leaves to the writer. Outside fenced code only:
 * - line endings are `\n`; trailing spaces and tabs are trimmed (a two-space hard break becomes `\`);
 * - `*` and `+` bullets become `-` (thematic breaks such as `* * *` are left alone);
 * - runs of blank lines become one; no blank lines at the start; exactly one newline at the end.
 * Idempotent: normalizing twice gives the same text.
 */
const FENCE = /^\s{0,3}(```|~~~)/;
const BULLET = /^(\s*)[*+](\s+)/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const TRAILING = /[ \t]+$/;

export function normalizeMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const opener = FENCE.exec(line)?.[1];
    if (fence) {
      if (opener === fence) fence = null;
      out.push(line);
      continue;
    }
    if (opener) {
      fence = opener;
      out.push(line.replace(TRAILING, ''));
      continue;
    }
    const next = lines[i + 1];
    if (/ {2,}$/.test(line) && line.trim() !== '' && next !== undefined && next.trim() !== '') {
      line = `${line.replace(TRAILING, '')}\\`;
    }
    line = line.replace(TRAILING, '');
    if (!THEMATIC_BREAK.test(line)) line = line.replace(BULLET, '$1-$2');
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
