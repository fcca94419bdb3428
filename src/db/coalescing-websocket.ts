/**
 * The WebSocket the Neon driver opens (`neonConfig.webSocketConstructor`), sending what the driver
 * writes in one synchronous burst as one message.
 *
 * node-postgres writes every protocol message on its own: Parse, Bind, Describe, Execute and Sync are
 * five writes for one query. As five WebSocket messages they cost five frames in the runtime and at
 * the other end. The driver's own `coalesceWrites` merges them, but flushes from `setTimeout(0)`, which
 * added ~1 ms to every round trip (docs/performance.md). A microtask runs right after the burst, so the
 * same writes leave as one message without the timer.
 */
export function coalescingWebSocket(url: string): WebSocket {
  const ws = new WebSocket(url);
  const send = ws.send.bind(ws);
  let pending: Uint8Array[] = [];
  const flush = () => {
    const chunks = pending;
    pending = [];
    if (chunks.length === 0) return;
    let message = chunks[0]!;
    if (chunks.length > 1) {
      message = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let at = 0;
      for (const chunk of chunks) {
        message.set(chunk, at);
        at += chunk.byteLength;
      }
    }
    try {
      send(message);
    } catch {
      // The socket closed under the burst. There is no caller left to throw to: closing makes the
      // driver fail the pending query with a connection error instead.
      ws.close();
    }
  };
  ws.send = (data: Parameters<WebSocket['send']>[0]) => {
    if (!(data instanceof Uint8Array)) {
      flush();
      return send(data);
    }
    pending.push(data);
    if (pending.length === 1) queueMicrotask(flush);
  };
  return ws;
}
