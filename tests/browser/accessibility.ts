/**
 * axe-core in the page: fails on serious and critical violations with a list a person can act on (rule, what
 * it means, the elements). Evaluated over the DevTools protocol, which the pages' CSP (script-src 'self')
 * does not govern, so the check runs against the headers production serves.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PageGlobals } from './page-globals.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Violations at these levels fail; moderate and minor ones are for review, not for CI. */
const FAILING = new Set(['serious', 'critical']);

export async function checkAccessibility(page: Page, options: { exclude?: string[] } = {}) {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    async ({ exclude }) => {
      const axe = (globalThis as unknown as PageGlobals).axe!;
      const result = await axe.run(
        { exclude: exclude.map((selector: string) => [selector]) },
        {
          resultTypes: ['violations'],
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        },
      );
      return result.violations;
    },
    { exclude: options.exclude ?? [] },
  )) as Violation[];
  const failing = violations.filter((v) => v.impact && FAILING.has(v.impact));
  expect(failing.length, `accessibility of ${page.url()}:\n${describe(failing)}`).toBe(0);
}

function describe(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
      return `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}
