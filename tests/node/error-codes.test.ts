import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, KIND_HTTP, type ErrorCode } from '../../src/lib/error-codes.ts';
import { DomainError } from '../../src/lib/errors.ts';
import { problemResponse } from '../../src/lib/problem.ts';
import { codeParameters, scanErrorCodes, type FoundCode } from './error-code-scan.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CATALOGUE = 'src/lib/error-codes.ts';

function sources(dir: string): Array<{ file: string; text: string }> {
  return (
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
      .filter((file) => file !== CATALOGUE)
      // The admin app (a browser client) reads the API's codes; the ones it makes up for a failed fetch are its own.
      .filter((file) => !file.startsWith('src/admin/'))
      .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }))
  );
}

function scan(files: Array<{ file: string; text: string }>): FoundCode[] {
  const parameters = codeParameters(files);
  return files.flatMap(({ file, text }) => scanErrorCodes(file, text, parameters));
}

const catalogued = Object.keys(ERROR_CODES) as ErrorCode[];
const matches = (found: FoundCode, code: string) =>
  found.template ? new RegExp(`^${found.code}$`).test(code) : found.code === code;

describe('the error-code catalogue against the source', () => {
  const raised = scan([...sources('src'), ...sources('workers')]);

  it('finds the codes the source raises (the scan itself works)', () => {
    expect(raised.length).toBeGreaterThan(catalogued.length);
  });

  it('has an entry for every code raised in src/ and workers/', () => {
    const missing = raised
      .filter((found) => !catalogued.some((code) => matches(found, code)))
      .map((found) => `${found.file}: ${found.template ? `template /${found.code}/` : found.code}`);
    expect(missing, 'codes raised but not in src/lib/error-codes.ts').toEqual([]);
  });

  it('has no entry that nothing raises', () => {
    const dead = catalogued.filter((code) => !raised.some((found) => matches(found, code)));
    expect(dead, 'catalogue entries nothing in src/ or workers/ raises').toEqual([]);
  });
});

describe('the scan', () => {
  const fixture = (text: string) => scan([{ file: 'fixture.ts', text }]).map((f) => f.code);

  it('reports a code raised in DomainError options, problemResponse inits and ternaries', () => {
    expect(
      fixture(`
        throw new DomainError('conflict', 'x', { code: 'no_such_code', fields: [{ path: 'body.a', message: 'm', code: 'too_big' }] });
        problemResponse({ code: status === 413 ? 'too_large_code' : 'other_code', detail: 'd' });
      `),
    ).toEqual(['no_such_code', 'too_large_code', 'other_code']);
  });

  it('reports codes passed to a function that takes one, and templates as patterns', () => {
    expect(
      fixture(`
        const violation = (code: ErrorCodeOf<'rule_violation'>, message: string) => new DomainError('rule_violation', message, { code });
        throw violation('first_code', 'why');
        const code = verdict === 'a' ? 'left_code' : 'right_code';
        throw new DomainError('forbidden', 'x', { code: \`account_\${user.status}\` });
      `),
    ).toEqual(['first_code', 'left_code', 'right_code', 'account_.+']);
  });

  it('ignores field errors, types, comments and the strings of conditions', () => {
    expect(
      fixture(`
        // code: 'in_a_comment'
        const fields = [{ path: 'query.from', message: 'm', code: 'field_code' }];
        function f(what: { code: ErrorCodeOf<'forbidden'>; doing: string }) {}
        if (err.code === 'compared_code') return;
        ctx.addIssue({ code: 'too_small', origin: 'date', minimum: 0, inclusive: true, message: 'm', input });
      `),
    ).toEqual([]);
  });
});

describe('the catalogue entries', () => {
  it('give a service code the status and title of its kind, and every code a short explanation', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      if (entry.kind) expect({ status: entry.status, title: entry.title }, code).toEqual(KIND_HTTP[entry.kind]);
      expect(entry.explanation.length, code).toBeGreaterThan(20);
      expect(entry.explanation.length, code).toBeLessThan(300);
    }
  });

  it('are enforced by the types: an unknown code, or a code of another kind, does not compile', () => {
    // @ts-expect-error: not in the catalogue
    const unknown = new DomainError('conflict', 'x', { code: 'no_such_code' });
    // @ts-expect-error: not_found is a not_found code, not a conflict one
    const wrongKind = new DomainError('conflict', 'x', { code: 'not_found' });
    // @ts-expect-error: problem responses take catalogued codes only
    const response = () => problemResponse({ code: 'http_418', detail: 'd', requestId: 'r', origin: 'https://x' });
    expect([unknown.code, wrongKind.code, typeof response]).toEqual(['no_such_code', 'not_found', 'function']);
  });

  it('give a problem response its status and title, and a type on the request origin', async () => {
    const res = problemResponse({ code: 'slug_taken', detail: 'd', requestId: 'r', origin: 'https://api.example' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      type: 'https://api.example/problems/slug_taken',
      title: 'Conflict',
      status: 409,
      code: 'slug_taken',
    });
  });
});
