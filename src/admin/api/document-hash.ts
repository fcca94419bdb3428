/**
 * The OpenAPI document as the client is generated from it: without `servers`, which names the origin that
 * served it and so differs between hosts. Shared by the generator (Node) and the drift test (workerd).
 */
export function canonicalDocument(document: unknown): Record<string, unknown> {
  const { servers: _servers, ...rest } = document as Record<string, unknown>;
  return rest;
}

export async function documentSha256(document: Record<string, unknown>): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(document));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
