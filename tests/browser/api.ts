/**
 * The API as the signed-in person in the browser calls it: the page's session cookie, `X-CSRF: 1` and this
 * origin (docs/decisions/0035), for setting up what a test needs faster than through the screens.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { baseUrl } from './harness.ts';

export async function callApi<T = Record<string, unknown>>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; expectStatus?: number } = {},
): Promise<T> {
  const origin = new URL(baseUrl()).origin;
  const response = await page.request.fetch(`${origin}${path}`, {
    method,
    headers: { 'X-CSRF': '1', Origin: origin, ...(options.headers ?? {}) },
    ...(options.body === undefined ? {} : { data: options.body }),
  });
  const text = await response.text();
  expect(response.status(), `${method} ${path}: ${text}`).toBe(options.expectStatus ?? (method === 'POST' ? 201 : 200));
  return (text ? JSON.parse(text) : {}) as T;
}

/** Unique enough within a run and across runs on one database: a test's own names never collide. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
