import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalescingWebSocket } from '../../src/db/coalescing-websocket.ts';

// Same workaround as scripts/local/ws-proxy.ts: `import { WebSocketServer } from 'ws'` breaks here.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws');

describe('coalescingWebSocket (the Neon driver socket)', () => {
  let server: InstanceType<typeof WebSocketServer>;
  let received: Array<{ binary: boolean; bytes: Buffer }> = [];

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) =>
      ws.on('message', (data: Buffer, binary: boolean) => received.push({ binary, bytes: Buffer.from(data) })),
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
  const until = async (count: number) => {
    for (const deadline = Date.now() + 3_000; received.length < count && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 5));
  };

  it('sends the writes of one synchronous burst as one message, in order', async () => {
    const ws = await open();
    ws.send(new Uint8Array([1, 2]));
    ws.send(new Uint8Array([3]));
    ws.send(new Uint8Array([4, 5, 6]));
    await until(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(received.map((m) => [...m.bytes])).toEqual([[1, 2, 3, 4, 5, 6]]);
    ws.close();
  });

  it('sends bursts separated by a turn of the event loop as separate messages', async () => {
    const ws = await open();
    ws.send(new Uint8Array([1]));
    await new Promise((r) => setTimeout(r, 0));
    ws.send(new Uint8Array([2]));
    await until(2);
    expect(received.map((m) => [...m.bytes])).toEqual([[1], [2]]);
    ws.close();
  });

  it('flushes pending bytes before anything that is not bytes, so order holds', async () => {
    const ws = await open();
    ws.send(new Uint8Array([7]));
    ws.send('text');
    await until(2);
    expect(received.map((m) => (m.binary ? [...m.bytes] : m.bytes.toString()))).toEqual([[7], 'text']);
    ws.close();
  });
});
