/**
 * The API reference at /docs: Scalar's standalone build renders the served OpenAPI document with everything
 * from this origin (no CDN, no fonts from elsewhere), under a strict Content-Security-Policy.
 */
import { describe, expect, it } from 'vitest';
import { baseUrl, useBrowser } from './harness.ts';
import { screenshot } from './screenshot.ts';
import { recordRequests } from './wait.ts';

/** Summaries of the content operations in the served document, to look for on the page. */
async function contentOperationSummaries(): Promise<string[]> {
  const document = (await (await fetch(`${baseUrl()}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { summary?: string }>>;
  };
  const summaries = Object.entries(document.paths)
    .filter(([path]) => path === '/api/v1/content' || path === '/api/v1/content/{id}')
    .flatMap(([, operations]) => Object.values(operations))
    .map((operation) => operation.summary)
    .filter((summary): summary is string => Boolean(summary));
  expect(summaries.length).toBeGreaterThanOrEqual(3);
  return summaries;
}

describe('the API reference', () => {
  const browser = useBrowser();

  it('renders the operations with nothing fetched from another origin', async () => {
    const page = browser.page;
    const requests = recordRequests(page);
    const response = await page.goto(`${baseUrl()}/docs`);
    expect(response?.status()).toBe(200);
    // Scalar's bundle is megabytes of JavaScript: on a busy machine it takes a while to parse.
    for (const summary of await contentOperationSummaries())
      await page.getByText(summary, { exact: true }).first().waitFor({ timeout: 60_000 });
    // The server box shows this run's address, whose port is random.
    await screenshot(page, 'api-reference', {
      mask: [page.getByText(baseUrl(), { exact: true })],
      settle: false,
    });

    const origin = new URL(baseUrl()).origin;
    const elsewhere = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${origin}/openapi.json`);
  });

  it('is served with a Content-Security-Policy that keeps it to this origin', async () => {
    const page = browser.page;
    // The header is all this needs: no waiting for Scalar to load.
    const response = await page.goto(`${baseUrl()}/docs`, { waitUntil: 'commit' });
    const csp = (await response!.allHeaders())['content-security-policy'] ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });
});
