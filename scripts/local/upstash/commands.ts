import { type Backend, type BatchReply, toError, transactionDiscarded } from './backend.ts';
import { createScriptTable, type Prepared } from './scripts.ts';

// Commands that would change the state of the single shared connection
// (or hijack it); Upstash's REST API does not offer them either.
const BLOCKED = new Set([
  'auth',
  'hello',
  'select',
  'reset',
  'quit',
  'monitor',
  'sync',
  'psync',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);

function checkCommand(cmd: string[]): void {
  const name = (cmd[0] ?? '').toLowerCase();
  if (BLOCKED.has(name)) throw new Error(`ERR Command is not available: '${cmd[0]}'`);
}

/** Runs commands on the backend: refused ones never reach it, script commands go through the script table. */
export function createCommandRunner(backend: Backend) {
  const prepare = createScriptTable(backend.kind);

  const runOne = async (cmd: string[]): Promise<unknown> => {
    checkCommand(cmd);
    const p = prepare(cmd);
    if ('local' in p) return p.local;
    const reply = await backend.call(p.send);
    return p.mapReply ? p.mapReply(reply) : reply;
  };

  const runBatch = async (cmds: string[][], atomic: boolean): Promise<BatchReply[]> => {
    const steps = cmds.map((cmd): Prepared | { fail: Error } => {
      try {
        checkCommand(cmd);
        return prepare(cmd);
      } catch (err) {
        if (atomic) throw transactionDiscarded(err);
        return { fail: toError(err) };
      }
    });
    // Steps answered here (SCRIPT LOAD on the mock, refused commands) are spliced back in order.
    const sent = steps.flatMap((s) => ('send' in s ? [s.send] : []));
    const replies = sent.length > 0 ? await backend.batch(sent, atomic) : [];
    let next = 0;
    return steps.map((s): BatchReply => {
      if ('fail' in s) return [s.fail, null];
      if ('local' in s) return [null, s.local];
      const [err, reply] = replies[next++] ?? [new Error('ERR missing reply'), null];
      return err ? [err, null] : [null, s.mapReply ? s.mapReply(reply) : reply];
    });
  };

  return { runOne, runBatch };
}
