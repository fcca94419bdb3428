import type { SignedHeaders } from './signing.ts';

/** The spec's budget for a receiver to answer; slower is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of a response body the delivery log keeps. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface PostOutcome {
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** Retry-After of a 429 or 503, raw. */
  retryAfter: string | null;
}

async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // A receiver may answer with megabytes; only the excerpt is read, the rest is dropped unread.
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, RESPONSE_EXCERPT_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * One POST. Redirects are never followed (`redirect: 'manual'`): a receiver must not be able to point the
 * sender at another host, so a 3xx is a failed attempt like any other non-2xx.
 */
export async function postWebhook(input: {
  url: string;
  body: string;
  headers: SignedHeaders;
  timeoutMs: number;
}): Promise<PostOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let res: Response;
  try {
    res = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'ContentOS-Webhooks/1.0', ...input.headers },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const error = timedOut
      ? `no response within ${input.timeoutMs} ms`
      : `request failed: ${err instanceof Error ? err.message : String(err)}`;
    return {
      succeeded: false,
      statusCode: null,
      durationMs: elapsed(),
      responseExcerpt: null,
      error,
      retryAfter: null,
    };
  }
  let excerpt: string | null;
  try {
    excerpt = await readExcerpt(res);
  } catch {
    excerpt = null;
  }
  const status = res.status;
  const succeeded = status >= 200 && status < 300;
  let error: string | null = null;
  if (status >= 300 && status < 400)
    error = `redirect not followed (${status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''})`;
  else if (!succeeded) error = `receiver answered ${status}`;
  const retryAfter = status === 429 || status === 503 ? res.headers.get('retry-after') : null;
  return { succeeded, statusCode: status, durationMs: elapsed(), responseExcerpt: excerpt, error, retryAfter };
}
