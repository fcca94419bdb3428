import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalescingWebSocket } from '../../src/db/coalescing-websocket.ts';

// Same workaround as scripts/local/ws-proxy.ts: `import { WebSocketServer } from 'ws'` breaks here.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws');

describe('coalescingWebSocket (the Neon driver socket)', () => {
  let server: InstanceType<typeof WebSocketServer>;
  let received: Array<{ binary: boolean; bytes: Buffer }> = [];
  let onMessage = () => {};

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) =>
      ws.on('message', (data: Buffer, binary: boolean) => {
        received.push({ binary, bytes: Buffer.from(data) });
        onMessage();
      }),
    );
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function open() {
    received = [];
    const ws = coalescingWebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
    return ws;
  }
  /** Resolves once the server has received `count` messages (the test's timeout bounds the wait). */
  const until = (count: number) =>
    new Promise<void>((resolve) => {
      onMessage = () => received.length >= count && resolve();
      onMessage();
    });
  /**
   * A text message after the bytes under test, and the messages the server had by the time it arrived.
   * Messages of one socket arrive in order, so nothing of the bytes can come after it: this proves what
   * was NOT sent (no extra message) without waiting for it.
   */
  const upToMarker = async (ws: ReturnType<typeof coalescingWebSocket>) => {
    ws.send('marker');
    await new Promise<void>((resolve) => {
      onMessage = () => received.at(-1)?.bytes.toString() === 'marker' && !received.at(-1)!.binary && resolve();
      onMessage();
    });
    return received.slice(0, -1).map((m) => (m.binary ? [...m.bytes] : m.bytes.toString()));
  };

  it('sends the writes of one synchronous burst as one message, in order', async () => {
    const ws = await open();
    ws.send(new Uint8Array([1, 2]));
    ws.send(new Uint8Array([3]));
    ws.send(new Uint8Array([4, 5, 6]));
    await until(1);
    expect(await upToMarker(ws)).toEqual([[1, 2, 3, 4, 5, 6]]);
    ws.close();
  });

  it('sends bursts separated by a turn of the event loop as separate messages', async () => {
    const ws = await open();
    ws.send(new Uint8Array([1]));
    await new Promise((r) => setTimeout(r, 0));
    ws.send(new Uint8Array([2]));
    await until(2);
    expect(await upToMarker(ws)).toEqual([[1], [2]]);
    ws.close();
  });

  it('flushes pending bytes before anything that is not bytes, so order holds', async () => {
    const ws = await open();
    ws.send(new Uint8Array([7]));
    ws.send('text');
    await until(2);
    expect(await upToMarker(ws)).toEqual([[7], 'text']);
    ws.close();
  });
});
