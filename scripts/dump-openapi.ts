// Prints the OpenAPI document createApp() serves, for diffing and client generation.
import { createApp } from '../src/app.ts';
import type { Bindings } from '../src/config.ts';

const env = {
  APP_ENV: 'test',
  MAX_BODY_BYTES: '1048576',
  HEALTH_TIMEOUT_MS: '2000',
  LOG_LEVEL: 'error',
} as unknown as Bindings;
const res = await createApp().request('/openapi.json', {}, env);
process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
