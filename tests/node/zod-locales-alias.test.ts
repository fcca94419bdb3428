import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// wrangler.toml's [alias] swaps zod's locale index for src/lib/zod-locales.ts by the exact import path
// zod's modules use. If a zod upgrade changes that path, the alias silently stops matching and ~260 KB
// of locales come back into the bundle; these checks turn that into a failing test.
const root = join(import.meta.dirname, '../..');
const zodRoot = dirname(createRequire(join(root, 'package.json')).resolve('zod/package.json'));
const LOCALES_IMPORT = 'export * as locales from "../locales/index.js";';

function wranglerAliases(): Record<string, string> {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const section = /^\[alias\]\n((?:"[^"\n]+"\s*=\s*"[^"\n]+"\n)+)/m.exec(toml);
  if (!section) return {};
  return Object.fromEntries([...section[1]!.matchAll(/^"([^"]+)"\s*=\s*"([^"]+)"$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('zod locales alias (bundle size)', () => {
  it('zod still imports its locales through the path the alias matches', () => {
    for (const module of ['v4/classic/external.js', 'v4/core/index.js']) {
      expect(readFileSync(join(zodRoot, module), 'utf8'), module).toContain(LOCALES_IMPORT);
    }
  });

  it('wrangler.toml maps that path to a module that exists', () => {
    const target = wranglerAliases()['../locales/index.js'];
    expect(target).toBe('./src/lib/zod-locales.ts');
    expect(existsSync(join(root, target!))).toBe(true);
  });

  it('the replacement keeps English, the locale zod configures and the API speaks', async () => {
    const locales = await import('../../src/lib/zod-locales.ts');
    expect(Object.keys(locales)).toEqual(['en']);
    expect(typeof locales.en().localeError).toBe('function');
  });

  it('zod and @upstash/ratelimit still import what src/lib/bundle-stubs.ts stands in for, by the aliased paths', () => {
    const aliases = wranglerAliases();
    for (const path of ['./compile.js', './from-json-schema.js', '@upstash/core-analytics']) {
      expect(aliases[path], path).toBe('./src/lib/bundle-stubs.ts');
    }
    expect(readFileSync(join(zodRoot, 'v4/core/index.js'), 'utf8')).toContain('export * from "./compile.js";');
    expect(readFileSync(join(zodRoot, 'v4/classic/external.js'), 'utf8')).toContain(
      'export { fromJSONSchema } from "./from-json-schema.js";',
    );
    // The ESM build, so esbuild can drop the algorithms the Worker does not use (the package has no "module" field).
    expect(existsSync(join(root, aliases['@upstash/ratelimit']!))).toBe(true);
  });

  it('the stubs export every name the real modules do, so each import still resolves', async () => {
    const stubs = await import('../../src/lib/bundle-stubs.ts');
    const compileExports = readFileSync(join(zodRoot, 'v4/core/compile.js'), 'utf8').matchAll(
      /^export (?:const|class|function) (\w+)/gm,
    );
    for (const [, name] of compileExports) expect(stubs, name).toHaveProperty(name!);
    expect(stubs).toHaveProperty('fromJSONSchema');
    expect(stubs).toHaveProperty('Analytics');
  });
});
