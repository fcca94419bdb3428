import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, DEV_DELIVERY_CURSOR_SECRET, loadConfig, type Bindings } from '../../../src/config.ts';
import { productionBindings } from '../production-bindings.ts';

const production = productionBindings;

describe('delivery configuration', () => {
  it('production signs cursors with its own secret', () => {
    expect(loadConfig({ ...production }).delivery).toEqual({
      cursorSecret: production.DELIVERY_CURSOR_SECRET,
      negativeTtlSeconds: 120,
      entryTtlSeconds: 86_400,
      revalidateAfterSeconds: 300,
    });
  });

  it.each([
    ['no DELIVERY_CURSOR_SECRET', { DELIVERY_CURSOR_SECRET: '' }],
    ['the public development secret', { DELIVERY_CURSOR_SECRET: DEV_DELIVERY_CURSOR_SECRET }],
  ])('production refuses to start with %s', (_label, override) => {
    expect(() => loadConfig({ ...production, ...override } as Bindings)).toThrow(ConfigurationError);
  });

  it('refuses a cursor secret under 32 characters, anywhere', () => {
    expect(() => loadConfig({ ...env, DELIVERY_CURSOR_SECRET: 'short' } as Bindings)).toThrow(/DELIVERY_CURSOR_SECRET/);
  });

  it('development and tests fall back to the fixed development secret', () => {
    expect(loadConfig({ ...env } as Bindings).delivery.cursorSecret).toBe(DEV_DELIVERY_CURSOR_SECRET);
  });

  it('keeps absences 60–300 s (KV refuses TTLs under 60 s)', () => {
    expect(loadConfig({ ...env, DELIVERY_NEGATIVE_TTL_SECONDS: '300' } as Bindings).delivery.negativeTtlSeconds).toBe(
      300,
    );
    for (const ttl of ['59', '301', 'soon']) {
      expect(() => loadConfig({ ...env, DELIVERY_NEGATIVE_TTL_SECONDS: ttl } as Bindings), ttl).toThrow(
        /DELIVERY_NEGATIVE_TTL_SECONDS/,
      );
    }
  });
});
