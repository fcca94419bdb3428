import { describe, expect, it } from 'vitest';
import { bearer, deliveryGet, publishedItem } from '../delivery/fixtures.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';
import { TENANT_ROLES, useHarness, type Tenant } from '../harness.ts';
import { score } from '../scorecard.ts';
import { allowed, fixture, fixtureOwner, managementRoutes, request, snapshot } from './matrix-operations.ts';

/**
 * Every caller of one organization against everything of another (issue 14, item 5, the scorecard's
 * tenant row). Each role of B that may call a route asks for A's resource by id: the answer is 404 and A's
 * row is unchanged. B's lists hold nothing of A's, and on the delivery API B's token reads nothing of A's.
 * Another organization's id is a 404, exactly like an id that does not exist (design.md, rule 5).
 */

const { db, useTenant } = useHarness();
const a = useTenant();
const b = useTenant();
const { guarded } = managementRoutes();
// super_admin acts across organizations by design (X-Organization-Id); dead letters belong to no organization.
const routes = guarded.filter((route) => !route.path.startsWith('/api/v1/system/'));

const scopeOf = (tenant: Tenant, path: string) => ({
  organizationId: tenant.id,
  contentOwnerId: tenant.users[fixtureOwner(path) === 'editor' ? 'editor' : 'org_admin'].id,
  memberId: tenant.users.org_admin.id,
});

/** Ids of A's made for this file: none may appear in anything B is shown. */
const aIds = new Set<string>();

describe('one organization against another', () => {
  it("every role of B, on every route that takes an id, with A's ids: 404 and nothing of A's changes", async () => {
    const leaks: string[] = [];
    let tried = 0;
    for (const route of routes.filter((r) => r.path.includes(':id'))) {
      const callers = TENANT_ROLES.filter((role) => allowed(role, route, false));
      await Promise.all(
        callers.map(async (role) => {
          const id = await fixture(db, route.path, scopeOf(a, route.path));
          aIds.add(id);
          const before = await snapshot(db, route.path, id);
          const res = await request(route, b.users[role].headers.authorization, id);
          const body = await res.text();
          const after = await snapshot(db, route.path, id);
          tried++;
          if (res.status !== 404)
            leaks.push(`${route.method} ${route.path} as B's ${role}: ${res.status} ${body.slice(0, 120)}`);
          else if (JSON.stringify(after) !== JSON.stringify(before))
            leaks.push(`${route.method} ${route.path} as B's ${role} changed A's row`);
        }),
      );
    }
    score('tenant', { tried, failed: leaks.length });
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(50);
  });

  it("every list B may read, as each role of B: nothing of A's in it", async () => {
    aIds.add(a.id);
    const leaks: string[] = [];
    let tried = 0;
    for (const route of routes.filter((r) => r.method === 'GET' && !r.path.includes(':'))) {
      for (const role of TENANT_ROLES.filter((r) => allowed(r, route, false))) {
        const res = await request(route, b.users[role].headers.authorization, undefined);
        const body = await res.text();
        tried++;
        if (res.status >= 300) leaks.push(`${route.path} as B's ${role}: ${res.status}`);
        const seen = [...aIds].filter((id) => body.includes(id));
        if (seen.length > 0) leaks.push(`${route.path} as B's ${role} shows A's ${seen.join(', ')}`);
      }
    }
    score('tenant', { tried, failed: leaks.length });
    expect(leaks).toEqual([]);
  });

  it("the delivery API: B's token on A's slug, and A's item under B's slug, are 404; B's list holds nothing of A's", async () => {
    const item = await publishedItem(db, a);
    const bToken = (await createToken({}, { headers: b.users.org_admin.headers })).secret;
    const attempts = [
      { what: "B's token on A's item", path: `${a.slug}/content/${item.id}`, status: 404 },
      { what: "B's token on A's list", path: `${a.slug}/content`, status: 404 },
      { what: "A's item under B's slug", path: `${b.slug}/content/${item.id}`, status: 404 },
    ];
    const leaks: string[] = [];
    for (const attempt of attempts) {
      const res = await deliveryGet(attempt.path, bearer(bToken));
      if (res.status !== attempt.status) leaks.push(`${attempt.what}: ${res.status}`);
      await res.body?.cancel();
    }
    const own = await deliveryGet(`${b.slug}/content`, bearer(bToken));
    if ((await own.text()).includes(item.id)) leaks.push("B's list shows A's item");
    score('tenant', { tried: attempts.length + 1, failed: leaks.length });
    expect(leaks).toEqual([]);
  });
});
