import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port the OS says is free now (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections at host:port within the timeout. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until `url` answers `status` (listening is not ready: wrangler listens before the Worker answers).
 * Gives up at the deadline, or at once when `alive` says the process that should answer has ended.
 */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; status?: number; alive?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const wanted = options.status ?? 200;
  let last = 'no answer';
  for (;;) {
    if (options.alive && !options.alive()) throw new Error(`${url}: the process serving it ended (${last})`);
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' }).catch(
      (err: unknown) => err as Error,
    );
    if (!(response instanceof Error)) {
      await response.body?.cancel();
      if (response.status === wanted) return;
      last = `status ${response.status}`;
    } else last = response.message;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer ${wanted} within ${options.timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
