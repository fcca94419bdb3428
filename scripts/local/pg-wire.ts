/**
 * Just enough of the Postgres wire protocol for the local proxy: split each direction's byte stream
 * into messages (they arrive split and coalesced arbitrarily) and report their types.
 */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface WireMessage {
  /** The type byte as a character; null for untyped startup-phase messages. */
  type: string | null;
  /** For ReadyForQuery ('Z'): the transaction status, I (idle), T (in transaction) or E (failed transaction). */
  status?: string;
  /** An untyped startup message (not an SSL/GSS request): the server answers it with ReadyForQuery. */
  startup?: boolean;
}

/** Messages a client sends: untyped until the startup message, typed afterwards. */
export function frontendReader(): (chunk: Buffer) => WireMessage[] {
  let buffered: Buffer = Buffer.alloc(0);
  let untyped = true;
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const out: WireMessage[] = [];
    for (;;) {
      if (untyped) {
        if (buffered.length < 8) break;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) break;
        const code = buffered.readInt32BE(4);
        untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
        out.push({ type: null, startup: !untyped });
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) break;
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) break;
      out.push({ type: String.fromCharCode(buffered[0]!) });
      buffered = buffered.subarray(length + 1);
    }
    return out;
  };
}

/** Messages a server sends; always typed (this proxy never forwards an SSL request to PGlite). */
export function backendReader(): (chunk: Buffer) => WireMessage[] {
  let buffered: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const out: WireMessage[] = [];
    while (buffered.length >= 5) {
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) break;
      const type = String.fromCharCode(buffered[0]!);
      out.push(type === 'Z' ? { type, status: String.fromCharCode(buffered[5]!) } : { type });
      buffered = buffered.subarray(length + 1);
    }
    return out;
  };
}

/** One holder at a time, in arrival order. */
export class Gate {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    return previous.then(() => release);
  }
}
