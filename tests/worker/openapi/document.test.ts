import { describe, expect, it } from 'vitest';
import { call, readProblem, useHarness } from '../harness.ts';
import { fixture } from '../security/matrix-operations.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, Operation>>;
      components: {
        securitySchemes: Record<string, { type: string; scheme: string }>;
        schemas: Record<string, unknown>;
      };
      security: unknown[];
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('ContentOS API');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Problem).toBeDefined();

    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(0);
    expect(doc.paths['/health']?.get?.operationId).toBe('getHealth');
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      expect(op.operationId, `${method} ${path} operationId`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId!), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId!);
      expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0);
      expect(op.responses?.['500'], `${method} ${path} documents 500`).toBeDefined();
    }
  });
});

describe('GET /openapi.json patterns', () => {
  it('are regex sources a JSON Schema validator can use: no "/flags" tail (zod-to-openapi writes one for /…/u)', async () => {
    const patterns: string[] = [];
    JSON.stringify(await (await call('/openapi.json')).json(), (key, value) => {
      if (key === 'pattern' && typeof value === 'string') patterns.push(value);
      return value;
    });
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(pattern).not.toMatch(/\/[dgimsuvy]+$/);
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
    // The prohibited-phrase rule: a letter or a digit somewhere.
    expect(patterns).toContain('[\\p{L}\\p{N}]');
  });
});

describe('GET /admin', () => {
  it('sends the bare path to the admin app (its files are static assets under /admin/)', async () => {
    const res = await call('/admin', { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/admin/');
  });
});

/**
 * App-wide middleware answers before any route: the document must say so for every operation it runs for
 * (src/routes/docs/middleware-responses.ts). Found by the OpenAPI fuzz test (ADR 0033).
 */
describe('GET /openapi.json documents what app-wide middleware answers', () => {
  const h = useHarness();
  const tenant = h.useTenant();

  interface DocumentedOperation {
    parameters?: Array<{ name: string; in: string }>;
    requestBody?: { content?: Record<string, unknown> };
    responses: Record<string, { content?: Record<string, unknown> }>;
  }

  async function operations() {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, DocumentedOperation>>;
    };
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );
  }
  const missing = (op: DocumentedOperation, statuses: string[]) => statuses.filter((s) => !op.responses[s]);

  it('413 wherever a body can be sent; 400 and 415 wherever a JSON body is read', async () => {
    const gaps: Record<string, string[]> = {};
    for (const { key, method, op } of await operations()) {
      const expected = [
        ...(['post', 'put', 'patch', 'delete'].includes(method) ? ['413'] : []),
        ...(op.requestBody?.content?.['application/json'] ? ['400', '415'] : []),
      ];
      if (missing(op, expected).length > 0) gaps[key] = missing(op, expected);
    }
    expect(gaps).toEqual({});
  });

  it('/api/v1: 400/404 (X-Organization-Id), 401, 403, 429, 503; POST also 409/422 (Idempotency-Key)', async () => {
    const gaps: Record<string, string[]> = {};
    for (const { key, method, path, op } of (await operations()).filter((o) => o.path.startsWith('/api/v1/'))) {
      const expected = ['400', '401', '403', '404', '429', '503', ...(method === 'post' ? ['409', '422'] : [])];
      const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      const absent = [
        ...missing(op, expected),
        ...(headers.includes('x-organization-id') ? [] : ['header x-organization-id']),
        ...(method === 'post' && !headers.includes('idempotency-key') ? ['header idempotency-key'] : []),
      ];
      if (absent.length > 0) gaps[`${key} (${path})`] = absent;
    }
    expect(gaps).toEqual({});
  });

  it('and those statuses are real: an operation that takes no body still answers 413 to a large one', async () => {
    const res = await call(`/api/v1/webhooks/${crypto.randomUUID()}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', ...tenant.users.org_admin.headers },
      body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await readProblem(res)).code).toBe('payload_too_large');
  });

  it('a JSON operation answers 415 to another media type', async () => {
    const res = await call('/api/v1/content', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...tenant.users.editor.headers },
      body: JSON.stringify({ type: 'custom', title: 'x', platforms: ['web'] }),
    });
    expect(res.status).toBe(415);
  });

  it("a super_admin's X-Organization-Id: malformed 400, unknown 404, on any route", async () => {
    const admin = await h.insertUser(tenant.id, 'super_admin');
    const asked = (value: string) => call('/api/v1/me', { headers: { ...admin.headers, 'x-organization-id': value } });
    expect((await asked('not-a-uuid')).status).toBe(400);
    expect((await asked(crypto.randomUUID())).status).toBe(404);
  });

  it('an Idempotency-Key reused for another request is 422 on any POST (here: rotating a secret)', async () => {
    const scope = {
      organizationId: tenant.id,
      contentOwnerId: tenant.users.editor.id,
      memberId: tenant.users.org_admin.id,
    };
    const [first, second] = [
      await fixture(h.db, '/api/v1/webhooks/:id', scope),
      await fixture(h.db, '/api/v1/webhooks/:id', scope),
    ];
    const headers = { ...tenant.users.org_admin.headers, 'idempotency-key': crypto.randomUUID() };
    expect((await call(`/api/v1/webhooks/${first}/rotate-secret`, { method: 'POST', headers })).status).toBe(200);
    const reused = await call(`/api/v1/webhooks/${second}/rotate-secret`, { method: 'POST', headers });
    expect(reused.status).toBe(422);
    expect((await readProblem(reused)).code).toBe('idempotency_key_reused');
  });
});
