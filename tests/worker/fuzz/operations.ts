import type { JsonSchema } from 'json-schema-faker';

/**
 * The operations of the served OpenAPI document, in the shape the fuzzer needs: parameters and bodies as
 * self-contained JSON Schemas (every `$ref` inlined), and what each status is documented to carry.
 * Nothing here knows a route: a route added to the app is fuzzed the next run.
 */

export type Schema = Exclude<JsonSchema, boolean>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface DocumentedResponse {
  /** Media type → schema (an empty object when the document gives none). No entry: no body. */
  content: Record<string, Schema>;
}

export interface Operation {
  operationId: string;
  method: string;
  /** OpenAPI template, `/api/v1/content/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: Schema };
  /** Status code ('200', '404', …) → what the document says it carries. */
  responses: Record<string, DocumentedResponse>;
  /** Security schemes any one of which admits a caller; empty: open to anyone (an empty alternative counts). */
  security: string[];
  anonymousAllowed: boolean;
  tags: string[];
}

interface RawOperation {
  operationId: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Array<Record<string, unknown>>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, unknown> };
  security?: Array<Record<string, unknown>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** Inlines `#/components/schemas/…` references; a schema that refers back to itself becomes `{}` at the cycle. */
export function dereference(value: unknown, components: Record<string, unknown>, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => dereference(item, components, seen));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (seen.includes(name) || !(name in components)) return {};
    return dereference(components[name], components, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dereference(v, components, seen)]));
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const components = doc.components?.schemas ?? {};
  const schema = (s: unknown) => dereference(s ?? {}, components) as Schema;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const security = raw.security ?? doc.security ?? [];
      const json = raw.requestBody?.content?.['application/json'];
      operations.push({
        operationId: raw.operationId,
        method: method.toUpperCase(),
        path,
        tags: raw.tags ?? [],
        parameters: (raw.parameters ?? [])
          .filter((p): p is Parameter => p.in === 'path' || p.in === 'query' || p.in === 'header')
          .map((p) => ({ name: p.name, in: p.in, required: p.required ?? p.in === 'path', schema: schema(p.schema) })),
        ...(json ? { body: { required: raw.requestBody?.required ?? false, schema: schema(json.schema) } } : {}),
        responses: Object.fromEntries(
          Object.entries(raw.responses ?? {}).map(([status, r]) => [
            status,
            {
              content: Object.fromEntries(Object.entries(r.content ?? {}).map(([type, c]) => [type, schema(c.schema)])),
            },
          ]),
        ),
        security: security.flatMap((alternative) => Object.keys(alternative)),
        anonymousAllowed:
          security.length === 0 || security.some((alternative) => Object.keys(alternative).length === 0),
      });
    }
  }
  return operations;
}

/** `{id}` after `content` draws from the content pool; any other parameter from the pool of its own name. */
export function poolOf(path: string, param: string): string {
  if (param !== 'id') return param;
  const segments = path.split('/');
  const at = segments.indexOf('{id}');
  return segments[at - 1] ?? param;
}
