import { createHash } from 'node:crypto';
import type { Backend } from './backend.ts';

const SHEBANG = /^#!lua([^\n]*)/;
const UPSTASH_ONLY_FLAG = 'allow-key-locking';

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * @upstash/ratelimit scripts start with `#!lua flags=allow-key-locking`, an
 * Upstash-only flag that Redis 7.0 rejects. Remove the flag; if no other flag
 * remains, drop the shebang line entirely: a bare `#!lua` script counts as
 * "may write" in Redis 7 (so EVAL_RO refuses it), whereas a shebang-less script
 * is checked per call, and ioredis-mock's Lua cannot parse `#!` at all. The
 * newline is kept so line numbers in Lua error messages still match.
 */
function rewriteScript(script: string, keepOtherFlags: boolean): string {
  const match = SHEBANG.exec(script);
  if (!match) return script;
  const flagsToken = (match[1] ?? '')
    .trim()
    .split(/\s+/)
    .find((t) => t.startsWith('flags='));
  const flags = flagsToken ? flagsToken.slice('flags='.length).split(',').filter(Boolean) : [];
  const rest = flags.filter((f) => f !== UPSTASH_ONLY_FLAG);
  const body = script.slice(match[0].length);
  if (!keepOtherFlags || rest.length === 0) return body;
  return rest.length === flags.length ? script : `#!lua flags=${rest.join(',')}${body}`;
}

/** A command to send (and how to adjust its reply), or the reply itself when no backend call is needed. */
export type Prepared = { send: string[]; mapReply?: (reply: unknown) => unknown } | { local: unknown };

/**
 * Rewrites script commands before they reach the backend. Clients address
 * scripts by the SHA1 of the ORIGINAL text (ratelimit hard-codes those
 * hashes, tries EVALSHA first and falls back to EVAL on NOSCRIPT), but the
 * backend only ever sees the rewritten text, so remember original sha → script.
 */
export function createScriptTable(backend: Backend['kind']) {
  const byOriginalSha = new Map<string, string>();
  const remember = (script: string): string => {
    const rewritten = rewriteScript(script, backend === 'redis');
    byOriginalSha.set(sha1(script), rewritten);
    return rewritten;
  };

  return function prepare(cmd: string[]): Prepared {
    const name = (cmd[0] ?? '').toLowerCase();
    const [, first = '', ...rest] = cmd;
    switch (name) {
      case 'eval':
      case 'eval_ro':
        return cmd.length < 3 ? { send: cmd } : { send: [name, remember(first), ...rest] };
      case 'evalsha':
      case 'evalsha_ro': {
        const script = byOriginalSha.get(first.toLowerCase());
        // Unknown sha: let the backend answer (normally NOSCRIPT, which makes the client EVAL).
        if (script === undefined) return { send: cmd };
        return { send: [name === 'evalsha' ? 'eval' : 'eval_ro', script, ...rest] };
      }
      case 'script': {
        const sub = first.toLowerCase();
        if (sub === 'load' && rest.length === 1) {
          const original = rest[0] ?? '';
          const rewritten = remember(original);
          const sha = sha1(original);
          // Real Redis compiles (and so validates) the script; the mock has no SCRIPT command.
          return backend === 'redis' ? { send: ['script', 'load', rewritten], mapReply: () => sha } : { local: sha };
        }
        if (sub === 'exists') {
          if (backend === 'memory') return { local: rest.map((sha) => (byOriginalSha.has(sha.toLowerCase()) ? 1 : 0)) };
          return {
            send: cmd,
            mapReply: (reply) =>
              Array.isArray(reply)
                ? reply.map((v, i) => (byOriginalSha.has((rest[i] ?? '').toLowerCase()) ? 1 : v))
                : reply,
          };
        }
        if (sub === 'flush') {
          byOriginalSha.clear();
          if (backend === 'memory') return { local: 'OK' };
        }
        return { send: cmd };
      }
      default:
        return { send: cmd };
    }
  };
}
