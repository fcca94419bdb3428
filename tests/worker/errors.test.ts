import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { problemResponses } from '../../src/routes/shared/problem-schema.ts';
import { BASE, call, callApp, readProblem } from './helpers.ts';

/**
 * The app's error handling through createApp(), plus a probe route with a path parameter, a query
 * parameter and a strict JSON body, and one that throws, both defined here so the mappings are pinned
 * down by the middleware alone, whatever the product routes' own rules become.
 */
function appWithProbe() {
  const app = createApp();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/probe/{id}',
      operationId: 'probe',
      tags: ['Test'],
      request: {
        params: z.object({ id: z.uuid() }),
        query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ title: z.string().max(200), platforms: z.array(z.string()).min(1) }).strict(),
            },
          },
        },
      },
      responses: { ...problemResponses(400, 413), 200: { description: 'ok' } },
    }),
    (c) => c.json({ received: c.req.valid('json') }, 200),
  );
  // Values PostgreSQL refuses with SQLSTATE class 22, sent by the real driver, as a gap in validation would.
  const refused: Record<string, ReturnType<typeof sql>> = {
    '22008': sql`select ${'0000-01-01T00:00:00.000Z'}::timestamptz`,
    '22007': sql`select ${'the first of May'}::timestamptz`,
    '22P02': sql`select ${'not-a-uuid'}::uuid`,
    '22003': sql`select ${'99999999999'}::integer`,
  };
  app.get('/refused/:sqlState', async (c) => {
    await c.var.services.db.execute(refused[c.req.param('sqlState')]!);
    return c.text('accepted');
  });
  app.get('/boom', () => {
    throw new Error('secret internal detail: password=hunter2 at db.internal:5432');
  });
  return app;
}

const ID = '3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11';
const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
});

describe('problem+json error handling', () => {
  it('404 for an unknown route', async () => {
    const res = await call('/no/such/route');
    expect(res.status).toBe(404);
    const problem = await readProblem(res);
    expect(problem).toMatchObject({
      status: 404,
      code: 'route_not_found',
      title: 'Not found',
      type: `${BASE}/problems/route_not_found`,
    });
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
    expect(problem.errors).toEqual([]);
  });

  it('405 with Allow for a known path and an unsupported method', async () => {
    const res = await call('/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const problem = await readProblem(res);
    expect(problem.code).toBe('method_not_allowed');
    expect(problem.detail).toContain('DELETE');
  });

  it('405 for a parameterised path too, and OPTIONS lists the methods', async () => {
    const app = appWithProbe();
    const res = await callApp(app, `/probe/${ID}`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('OPTIONS, POST');
    const options = await callApp(app, `/probe/${ID}`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('OPTIONS, POST');
  });

  it('400 malformed_json for a body that is not JSON', async () => {
    const res = await callApp(appWithProbe(), `/probe/${ID}`, json('{"title": "unterminated'));
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('malformed_json');
    expect(problem.errors).toEqual([{ path: 'body', message: 'not valid JSON', code: 'malformed_json' }]);
  });

  it('415 for a JSON body sent without a JSON content type', async () => {
    const res = await callApp(appWithProbe(), `/probe/${ID}`, {
      method: 'POST',
      body: '{"title":"a","platforms":["web"]}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    const problem = await readProblem(res);
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.errors[0]?.path).toBe('header.content-type');
  });

  it('400 validation_failed naming every offending field with its source', async () => {
    const res = await callApp(
      appWithProbe(),
      `/probe/${ID}`,
      json(JSON.stringify({ title: 'x'.repeat(201), platforms: [], status: 'published' })),
    );
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors.map((e) => e.path).sort();
    expect(paths).toEqual(['body.platforms', 'body.status', 'body.title']);
    expect(problem.errors.find((e) => e.path === 'body.status')?.message).toContain('unknown field');
  });

  it('400 for bad path and query parameters', async () => {
    const badId = await callApp(appWithProbe(), '/probe/not-a-uuid', json('{"title":"a","platforms":["web"]}'));
    expect(badId.status).toBe(400);
    expect((await readProblem(badId)).errors[0]?.path).toBe('path.id');
    const badQuery = await callApp(appWithProbe(), `/probe/${ID}?limit=abc`, json('{"title":"a","platforms":["web"]}'));
    expect(badQuery.status).toBe(400);
    expect((await readProblem(badQuery)).errors[0]?.path).toBe('query.limit');
  });

  it('accepts a valid request through the same route', async () => {
    const res = await callApp(appWithProbe(), `/probe/${ID}?limit=5`, json('{"title":"Hello","platforms":["web"]}'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: { title: 'Hello', platforms: ['web'] } });
  });

  it('413 for a body over MAX_BODY_BYTES, by Content-Length', async () => {
    const big = JSON.stringify({ title: 'x', platforms: ['web'], pad: 'y'.repeat(4096) });
    const res = await callApp(appWithProbe(), `/probe/${ID}`, json(big), { MAX_BODY_BYTES: '2048' });
    expect(res.status).toBe(413);
    const problem = await readProblem(res);
    expect(problem.code).toBe('payload_too_large');
    expect(problem.detail).toContain('2048');
  });

  it('413 for a streamed body with no Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await callApp(
      appWithProbe(),
      `/probe/${ID}`,
      { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit,
      { MAX_BODY_BYTES: '2048' },
    );
    expect(res.status).toBe(413);
  });

  it('400 invalid_value, never a 5xx, when PostgreSQL refuses a value (SQLSTATE class 22); no internals leak', async () => {
    for (const state of ['22008', '22007', '22P02', '22003']) {
      const res = await callApp(appWithProbe(), `/refused/${state}`);
      expect(res.status, state).toBe(400);
      const text = await res.clone().text();
      expect(text, state).not.toMatch(/timestamptz|uuid|integer|select|Failed query/i);
      expect(await readProblem(res), state).toMatchObject({ status: 400, code: 'invalid_value', errors: [] });
    }
  });

  it('500 for anything unexpected, with no internals in the response', async () => {
    const res = await callApp(appWithProbe(), '/boom');
    expect(res.status).toBe(500);
    const text = await res.clone().text();
    expect(text).not.toMatch(/secret|hunter2|db\.internal|at .*\.ts/);
    const problem = await readProblem(res);
    expect(problem.code).toBe('internal_error');
    expect(problem.detail).toContain(problem.requestId);
  });

  it('500 with no internals when the configuration is invalid', async () => {
    const res = await callApp(createApp(), '/health', {}, { APP_ENV: 'staging' });
    expect(res.status).toBe(500);
    const problem = await readProblem(res);
    expect(problem.code).toBe('internal_error');
    expect(JSON.stringify(problem)).not.toContain('APP_ENV');
  });
});
