/**
 * Just enough of the Postgres wire protocol for the local proxy: split each direction's byte stream
 * into messages (they arrive split and coalesced arbitrarily) and report their types.
 */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** A simple-protocol Query message. */
export function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'latin1');
  header.writeInt32BE(text.length + 4, 1);
  return Buffer.concat([header, text]);
}

export interface WireMessage {
  /** The type byte as a character; null for untyped startup-phase messages. */
  type: string | null;
  /** For ReadyForQuery ('Z'): the transaction status, I (idle), T (in transaction) or E (failed transaction). */
  status?: string;
  /** An untyped startup message (not an SSL/GSS request): the server answers it with ReadyForQuery. */
  startup?: boolean;
  /** For Authentication ('R'): the request code; 0 is AuthenticationOk, anything else asks for credentials. */
  auth?: number;
  /** The whole message as it came over the wire. */
  bytes: Buffer;
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
        out.push({ type: null, startup: !untyped && code !== CANCEL_REQUEST, bytes: buffered.subarray(0, length) });
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) break;
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) break;
      out.push({ type: String.fromCharCode(buffered[0]!), bytes: buffered.subarray(0, length + 1) });
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
      const bytes = buffered.subarray(0, length + 1);
      if (type === 'Z') out.push({ type, status: String.fromCharCode(buffered[5]!), bytes });
      else if (type === 'R') out.push({ type, auth: buffered.readInt32BE(5), bytes });
      else out.push({ type, bytes });
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
