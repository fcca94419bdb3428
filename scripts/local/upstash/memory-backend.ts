import { Redis as IORedis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { type Backend, type BatchReply, toError, transactionDiscarded } from './backend.ts';

// Only real Redis command names may be dispatched to ioredis-mock by method
// name; otherwise a body like ["disconnect"] would call client internals.
const KNOWN_COMMANDS = new Set(IORedis.prototype.getBuiltinCommands());

let memoryInstances = 0;

// ioredis-mock has no *_ro variants; the read-only check is simply not enforced in memory.
const MOCK_ALIASES: Record<string, string> = { eval_ro: 'eval', evalsha_ro: 'evalsha' };
const ZADD_FLAGS = new Set(['nx', 'xx', 'gt', 'lt', 'ch', 'incr']);

/** ioredis-mock only recognises upper-case SET/ZADD options; @upstash/redis sends lower-case. */
function mockArgs(name: string, args: string[]): string[] {
  const upper = (a: string): string => (/^[a-z]+$/i.test(a) ? a.toUpperCase() : a);
  if (name === 'set') return [...args.slice(0, 2), ...args.slice(2).map(upper)];
  if (name === 'zadd') {
    const out = [...args];
    for (let i = 1; i < out.length && ZADD_FLAGS.has((out[i] ?? '').toLowerCase()); i++) out[i] = upper(out[i] ?? '');
    return out;
  }
  return args;
}

/** ioredis-mock behind the Backend interface, for when no Redis answers. */
export function memoryBackend(): Backend {
  // ioredis-mock shares one keyspace per host:port/db across instances in a
  // process; a unique fake host gives each server its own empty database.
  const client = new RedisMock({ host: `upstash-memory-${++memoryInstances}` });
  const methods = client as unknown as Record<string, unknown>;
  const resolve = (cmd: string[]): string => {
    const lower = (cmd[0] ?? '').toLowerCase();
    const name = MOCK_ALIASES[lower] ?? lower;
    if (!KNOWN_COMMANDS.has(name) || typeof methods[name] !== 'function') {
      throw new Error(`ERR unknown command '${cmd[0] ?? ''}' (not supported by the in-memory backend)`);
    }
    return name;
  };
  const call = async (cmd: string[]): Promise<unknown> => {
    const name = resolve(cmd);
    const method = methods[name] as (...args: string[]) => Promise<unknown>;
    return method.apply(client, mockArgs(name, cmd.slice(1)));
  };
  return {
    kind: 'memory',
    call,
    async batch(cmds, atomic) {
      if (!atomic) {
        const out: BatchReply[] = [];
        for (const cmd of cmds) {
          try {
            out.push([null, await call(cmd)]);
          } catch (err) {
            out.push([toError(err), null]);
          }
        }
        return out;
      }
      // Like Redis, refuse the whole transaction if any command is unknown.
      const names = cmds.map((cmd) => {
        try {
          return resolve(cmd);
        } catch (err) {
          throw transactionDiscarded(err);
        }
      });
      const replies = await client
        .multi(cmds.map((cmd, i) => [names[i] ?? '', ...mockArgs(names[i] ?? '', cmd.slice(1))]))
        .exec();
      return replies ?? [];
    },
    async close() {
      await client.flushall(); // the mock's keyspace lives in a module-level map; free it
      client.disconnect();
    },
  };
}
