import { describe, expect, it } from 'vitest';
import { normalizeMarkdown } from '../../src/admin/screens/editor/normalize-markdown.ts';

describe("normalizeMarkdown: the admin editor's save form (docs/decisions/0039)", () => {
  it('trims trailing spaces, collapses blank runs, ends with one newline, unifies bullets', () => {
    const input = '\n\n# Title  \r\n\r\n\r\n* one\n+ two\n  * nested\t\n\n\n\nText   \n';
    expect(normalizeMarkdown(input)).toBe('# Title\n\n- one\n- two\n  - nested\n\nText\n');
  });

  it('keeps a two-space hard break as a backslash, and leaves thematic breaks and emphasis alone', () => {
    expect(normalizeMarkdown('line one  \nline two\n\n* * *\n\n*em* and **strong**')).toBe(
      'line one\\\nline two\n\n* * *\n\n*em* and **strong**\n',
    );
  });

  it('leaves fenced code exactly as written', () => {
    const code = '```\n* not a bullet   \n\n\n\nend  \n```';
    expect(normalizeMarkdown(`Intro\n\n${code}\n`)).toBe(`Intro\n\n${code}\n`);
  });

  it('is idempotent, and empty stays empty', () => {
    const once = normalizeMarkdown('a  \n\n\n+ b\n```\nx  \n```\n\n\n');
    expect(normalizeMarkdown(once)).toBe(once);
    expect(normalizeMarkdown('  \n\n')).toBe('');
  });
});
