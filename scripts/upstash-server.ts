/**
 * Runs the local Upstash-compatible REST endpoint.
 *
 *   PATH=node_modules/.bin:$PATH node scripts/upstash-server.ts
 *
 * Env: UPSTASH_PORT (8079), UPSTASH_TOKEN (local-upstash-token),
 *      REDIS_URL (redis://127.0.0.1:6379; falls back to in-memory if unreachable).
 */
import { startUpstashServer } from './local/upstash/http.ts';

const port = Number(process.env.UPSTASH_PORT ?? 8079);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid UPSTASH_PORT: ${process.env.UPSTASH_PORT}`);
  process.exit(1);
}

const server = await startUpstashServer({
  port,
  token: process.env.UPSTASH_TOKEN ?? 'local-upstash-token',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  log: (msg) => console.log(msg),
});
console.log(`UPSTASH_REDIS_REST_URL=${server.url}`);
console.log(`backend: ${server.backend}`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, shutting down`);
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
