import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Bindings } from '../../src/config.ts';

// The schema validator compiles JSON Schema to code, which workerd forbids, so this check runs in Node
// against the document the same createApp() generates.
describe('OpenAPI document', () => {
  it('validates against the official OpenAPI 3.1 schema', async () => {
    const env = { APP_ENV: 'test', MAX_BODY_BYTES: '1048576', HEALTH_TIMEOUT_MS: '2000' } as unknown as Bindings;
    const res = await createApp().request('/openapi.json', {}, env);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });
});
