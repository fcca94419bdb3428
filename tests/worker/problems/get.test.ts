import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/lib/error-codes.ts';
import { renderProblemPage } from '../../../src/routes/problems/page.ts';
import { BASE, call, readProblem } from '../helpers.ts';

describe('GET /problems/{code}', () => {
  it('explains the code in a public, cacheable HTML page', async () => {
    const res = await call('/problems/slug_taken');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('vary')?.toLowerCase()).toContain('accept');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h1><code>slug_taken</code></h1>');
    expect(html).toContain('409 Conflict');
    expect(html).toContain(ERROR_CODES.slug_taken.explanation);
    expect(html).toContain('<a href="/problems">');
  });

  it('answers JSON to Accept: application/json', async () => {
    const res = await call('/problems/precondition_failed', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      code: 'precondition_failed',
      type: `${BASE}/problems/precondition_failed`,
      status: 412,
      title: 'Precondition failed',
      explanation: ERROR_CODES.precondition_failed.explanation,
    });
  });

  it('escapes the explanation: markup shows as text, backticked literals as <code>', async () => {
    // missing_credentials explains `Authorization: Bearer <token>`: the angle brackets must not become a tag.
    const html = await (await call('/problems/missing_credentials')).text();
    expect(html).toContain('<code>Authorization: Bearer &#60;token&#62;</code>');
    expect(html).not.toContain('<token>');

    const hostile = renderProblemPage({
      code: 'slug_taken',
      type: 'https://x/problems/slug_taken',
      status: 409,
      title: 'A <b>title</b> & "quotes"',
      explanation: 'Evil <script>alert(1)</script> and `<img src=x onerror=alert(1)>` text.',
    });
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<b>');
    expect(hostile).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(hostile).toContain('<code>&#60;img src=x onerror=alert(1)&#62;</code>');
    expect(hostile).toContain('A &#60;b&#62;title&#60;/b&#62; &#38; &#34;quotes&#34;');
  });

  it('404 problem+json (never HTML) for an unknown code, markup and prototype names included', async () => {
    for (const code of [
      'no_such_code',
      'constructor',
      '__proto__',
      'toString',
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]) {
      const res = await call(`/problems/${code}`, { headers: { accept: 'text/html' } });
      expect(res.status, code).toBe(404);
      const problem = await readProblem(res);
      expect(problem).toMatchObject({
        code: 'not_found',
        status: 404,
        type: `${BASE}/problems/not_found`,
        detail: 'problem type not found',
      });
    }
  });

  it('is where the type of a real error response resolves, on the origin the request came to', async () => {
    const errors = [
      await call('/no/such/route'),
      await call('/api/v1/me'),
      await call('/health', { method: 'DELETE' }),
      await call('/api/v1/content?limit=0', { headers: { authorization: 'Bearer x' } }),
    ];
    for (const res of errors) {
      const problem = await readProblem(res);
      expect(problem.type).toBe(`${BASE}/problems/${problem.code}`);
      const explained = await call(new URL(problem.type).pathname, { headers: { accept: 'application/json' } });
      expect(explained.status, problem.code).toBe(200);
      expect(await explained.json()).toMatchObject({
        code: problem.code,
        status: problem.status,
        title: problem.title,
      });
    }

    const elsewhere = await exports.default.fetch(new Request('https://api.other.example/no/such/route'));
    expect((await readProblem(elsewhere)).type).toBe('https://api.other.example/problems/route_not_found');
  });
});
