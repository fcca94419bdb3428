import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { callApp, readProblem } from './helpers.ts';

/**
 * HTTPExceptions come only from Hono's own parsers (400, 413, 415): each has a catalogued code. Any other
 * status would be a code the catalogue lacks, so it is treated as the bug it is (500), not passed through.
 */
function appThrowing(exception: HTTPException) {
  const app = createApp();
  app.get('/throws', () => {
    throw exception;
  });
  return app;
}

describe('HTTPException mapping', () => {
  it('400 request_failed for a parser failure other than malformed JSON', async () => {
    const res = await callApp(
      appThrowing(new HTTPException(400, { message: 'Malformed FormData request.' })),
      '/throws',
    );
    expect(res.status).toBe(400);
    expect(await readProblem(res)).toMatchObject({
      code: 'request_failed',
      title: 'Request failed',
      detail: 'Malformed FormData request.',
      type: 'http://localhost/problems/request_failed', // app.request() without a host
    });
  });

  it('413 payload_too_large from the body limit without our handler', async () => {
    const res = await callApp(appThrowing(new HTTPException(413)), '/throws');
    expect(res.status).toBe(413);
    expect(await readProblem(res)).toMatchObject({ code: 'payload_too_large', title: 'Payload too large' });
  });

  it('500 internal_error, with nothing of the exception, for a status no code is catalogued for', async () => {
    const res = await callApp(appThrowing(new HTTPException(418, { message: 'teapot internals' })), '/throws');
    expect(res.status).toBe(500);
    const problem = await readProblem(res);
    expect(problem.code).toBe('internal_error');
    expect(problem.detail).not.toContain('teapot');
  });
});
