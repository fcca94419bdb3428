/** What the REST layer needs from a Redis: the real one (redis-backend.ts) or an in-memory mock (memory-backend.ts). */
export type BatchReply = [Error | null, unknown];

export interface Backend {
  kind: 'redis' | 'memory';
  call(cmd: string[]): Promise<unknown>;
  /** `atomic`: MULTI/EXEC (all or nothing); otherwise a pipeline with one reply or error per command. */
  batch(cmds: string[][], atomic: boolean): Promise<BatchReply[]>;
  close(): Promise<void>;
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Redis's answer when a transaction is refused before any of it ran. */
export function transactionDiscarded(err: unknown): Error {
  return new Error(`EXECABORT Transaction discarded because of previous errors: ${toError(err).message}`);
}
