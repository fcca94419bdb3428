/**
 * What the deployable bundle gets for zod's `locales` namespace (wrangler.toml `[alias]`).
 *
 * zod exposes every locale as `z.locales` (`export * as locales from "../locales/index.js"` in zod's
 * classic/external.js and core/index.js). @hono/zod-openapi hands the whole `z` namespace around, so
 * esbuild cannot tree-shake it, and the ~50 locales were 260 KB of the bundle's 1.3 MB. The API speaks
 * English only (problem details, validation messages), so the bundle ships only `en`, the locale zod
 * configures by default anyway. tests/node/zod-locales-alias.test.ts fails if zod stops importing
 * its locales by the path the alias matches, so a zod upgrade cannot silently bring them back.
 */
export { default as en } from 'zod/v4/locales/en.js';
