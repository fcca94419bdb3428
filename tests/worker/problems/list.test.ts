import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/lib/error-codes.ts';
import { BASE, call } from '../helpers.ts';

const codes = Object.keys(ERROR_CODES);
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET /problems', () => {
  it('serves every catalogued code as a public, cacheable HTML page by default', async () => {
    const res = await call('/problems', { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('vary')?.toLowerCase()).toContain('accept');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    for (const code of codes) expect(html).toContain(`<a href="/problems/${code}"><code>${code}</code></a>`);
    expect(html).not.toContain('<script');
  });

  it('answers JSON to Accept: application/json, each entry with the type its errors carry', async () => {
    const res = await call('/problems', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    const { data } = (await res.json()) as {
      data: Array<{ code: string; type: string; status: number; title: string; explanation: string }>;
    };
    expect(data.map((entry) => entry.code)).toEqual(codes);
    for (const entry of data) {
      const { status, title, explanation } = ERROR_CODES[entry.code as keyof typeof ERROR_CODES];
      expect(entry).toEqual({ code: entry.code, type: `${BASE}/problems/${entry.code}`, status, title, explanation });
    }
  });

  it('needs no credentials, and ignores any that are sent', async () => {
    const res = await call('/problems', {
      headers: { authorization: 'Bearer not-a-token', accept: 'application/json' },
    });
    expect(res.status).toBe(200);
  });
});
