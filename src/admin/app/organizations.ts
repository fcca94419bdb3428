import { api, unwrap } from '../api/client.ts';

/** A super_admin's organization switcher: every organization, by slug. */
export async function listOrganizations() {
  const all: { id: string; slug: string; name: string }[] = [];
  for (let page = 1; page <= 50; page++) {
    const body = unwrap(await api.GET('/api/v1/organizations', { params: { query: { page, limit: 100 } } }));
    all.push(...body.data.map((o) => ({ id: o.id, slug: o.slug, name: o.name })));
    if (page >= body.totalPages) break;
  }
  return all;
}

export async function resolveOrganizationId(slug: string): Promise<string | null> {
  return (await listOrganizations()).find((o) => o.slug === slug)?.id ?? null;
}
