import { describe, expect, it } from 'vitest';
import { canonicalDocument, documentSha256 } from '../../../src/admin/api/document-hash.ts';
import { OPENAPI_DOCUMENT_SHA256 } from '../../../src/admin/api/schema.gen.ts';
import { call } from '../harness.ts';

describe('the admin app typed client (src/admin/api/schema.gen.ts)', () => {
  it('was generated from the document the Worker serves (else: npm run api:client)', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const served = await documentSha256(canonicalDocument(await res.json()));
    expect(served, 'the API changed since the client was generated: run `npm run api:client`').toBe(
      OPENAPI_DOCUMENT_SHA256,
    );
  });

  it('ignores only the origin the document names', async () => {
    const res = await call('/openapi.json');
    const doc = (await res.json()) as Record<string, unknown>;
    const elsewhere = { ...doc, servers: [{ url: 'https://api.contentos.example' }] };
    expect(await documentSha256(canonicalDocument(elsewhere))).toBe(await documentSha256(canonicalDocument(doc)));
    const changed = { ...doc, info: { ...(doc.info as object), version: '9.9.9' } };
    expect(await documentSha256(canonicalDocument(changed))).not.toBe(await documentSha256(canonicalDocument(doc)));
  });
});
