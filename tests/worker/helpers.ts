import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../src/app-env.ts';
import type { Bindings } from '../../src/config.ts';
import type { Problem } from '../../src/lib/problem.ts';

export const BASE = 'http://contentos.test';

/** A request through the deployed Worker's own fetch handler, bindings and all. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

/** A request to an app built by createApp() (for routes that exist only in a test), with real bindings. */
export async function callApp(
  app: OpenAPIHono<AppEnv>,
  path: string,
  init?: RequestInit,
  overrides: Partial<Bindings> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.request(path, init, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function readProblem(res: Response): Promise<Problem> {
  if (res.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(`expected problem+json, got ${res.headers.get('content-type')}: ${await res.text()}`);
  }
  return (await res.json()) as Problem;
}

/** Polls until `check` returns a value (queue delivery is asynchronous), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
