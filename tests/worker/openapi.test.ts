import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

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

describe('GET /docs', () => {
  it('serves the interactive reference page, self-contained', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).toContain('<script');
    // Nothing loaded from another origin: the page must work with no internet.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
  });
});
