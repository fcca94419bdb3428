/**
 * The body as a delivery API consumer shows it: the delivery API hands out Markdown, which a site renders
 * with a CommonMark/GFM renderer (marked here) and must sanitize (DOMPurify), since the text is written by
 * people. What the preview shows is what such a page would show; scripts and event handlers never run.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
