import type { ProblemTypeResource } from './schemas.ts';
import { PROBLEMS_PATH } from '../../lib/problem.ts';

/** Static pages: no script, no other origin, no framing. */
export const PROBLEM_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Explanations mark literals with backticks, as the API reference does; escaped first, so nothing else becomes markup. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
code { font-family: ui-monospace, monospace; font-size: 0.95em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #8884; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
.status { font-size: 1.1rem; }
`;

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

export function renderProblemPage(problem: ProblemTypeResource): string {
  const code = escapeHtml(problem.code);
  return page(
    `${problem.code} · ContentOS problem types`,
    [
      `<p><a href="${PROBLEMS_PATH}">All problem types</a> · <a href="/docs">API reference</a></p>`,
      `<h1><code>${code}</code></h1>`,
      `<p class="status">${problem.status} ${escapeHtml(problem.title)}</p>`,
      `<p>${prose(problem.explanation)}</p>`,
      `<p>Error responses with this problem are <code>application/problem+json</code> with <code>"code": "${code}"</code> ` +
        'and a <code>type</code> that links here; <code>detail</code> describes the particular occurrence and ' +
        '<code>errors[]</code> names the offending fields, if any.</p>',
    ].join('\n'),
  );
}

export function renderProblemListPage(problems: readonly ProblemTypeResource[]): string {
  const rows = problems.map(
    (p) =>
      `<tr><td><a href="${PROBLEMS_PATH}/${escapeHtml(p.code)}"><code>${escapeHtml(p.code)}</code></a></td>` +
      `<td>${p.status}</td><td>${escapeHtml(p.title)}</td><td>${prose(p.explanation)}</td></tr>`,
  );
  return page(
    'ContentOS problem types',
    [
      '<h1>Problem types</h1>',
      '<p>Every <code>code</code> an error response of the ContentOS API can carry (RFC 9457 problem details). ' +
        'Switch on <code>code</code>; <code>type</code> links to the entry here. See also the <a href="/docs">API reference</a>.</p>',
      '<table>',
      '<thead><tr><th>Code</th><th>Status</th><th>Title</th><th>Explanation</th></tr></thead>',
      `<tbody>\n${rows.join('\n')}\n</tbody>`,
      '</table>',
    ].join('\n'),
  );
}
