import { postJson, call, type Headers } from '../harness.ts';

export const putPolicy = (headers: Headers, body: unknown) =>
  postJson('/api/v1/editorial-policy', body, headers, 'PUT');

export const getPolicy = (headers: Headers) => call('/api/v1/editorial-policy', { headers });
