/**
 * Stand-ins, in the deployable bundle only, for library code the Worker never runs but cannot tree-shake.
 *
 * Two opt-in zod features the Worker never uses (wrangler.toml `[alias]`,
 * like src/lib/zod-locales.ts): `z.compile` (zod/v4/core/compile.js, a code-generating fast path, 31 KB; Workers
 * forbid `new Function` anyway) and `z.fromJSONSchema` (zod/v4/classic/from-json-schema.js, 12 KB). zod re-exports
 * both from its namespace, which @hono/zod-openapi hands around, so esbuild cannot drop them. The names stay, so
 * every import resolves; calling one says why it is absent. tests/node/zod-locales-alias.test.ts fails if zod
 * stops importing them by the paths the aliases match.
 */
const absent = (name: string) => () => {
  throw new Error(`${name} is not part of the ContentOS bundle (src/lib/bundle-stubs.ts)`);
};

// The sentinels zod's parser shares with the compiler, by the same registry symbols (zod/v4/core/parse.js).
export const INVALID = Symbol.for('zod.compile.invalid');
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
export const compile = absent('z.compile');
export const withParser = absent('z.withParser');
export const compileFn = absent('z.compileFn');
export const fromJSONSchema = absent('z.fromJSONSchema');

/**
 * @upstash/core-analytics (6 KB), which @upstash/ratelimit constructs only when a limiter is created with
 * `analytics: true`; ours never are (services/rate-limit/check-rate-limit.ts). Aliased here for the same reason.
 */
export class Analytics {
  constructor() {
    absent('@upstash/core-analytics')();
  }
}
