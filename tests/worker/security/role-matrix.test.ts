import { describe, expect, it } from 'vitest';
import { userRoles } from '../../../src/db/schema/index.ts';
import { tokenFor } from '../auth.ts';
import { allowed, fixture, fixtureOwner, managementRoutes, request, snapshot } from './matrix-operations.ts';
import { useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';

/**
 * Every management route × every caller, checked against the permission table. The required actions
 * are read from the guards the app itself registers, so the test follows the code, and a route without
 * a guard fails here unless it is meant for any authenticated caller.
 */

/** The specification of who may call what; the guards in the code must say exactly this. */
const INTENDED: Record<string, string[]> = {
  'POST /api/v1/content': ['content.create'],
  'POST /api/v1/content/score': ['content.create', 'content.update'],
  'GET /api/v1/content/counts': ['content.read'],
  'GET /api/v1/content': ['content.read'],
  'GET /api/v1/content/:id': ['content.read'],
  'PUT /api/v1/content/:id': ['content.update', 'content.update_own'],
  'DELETE /api/v1/content/:id': ['content.archive'],
  'GET /api/v1/users': ['users.read'],
  'POST /api/v1/users': ['users.manage'],
  'GET /api/v1/users/:id': ['users.read'],
  'PATCH /api/v1/users/:id': ['users.manage'],
  'GET /api/v1/organizations': ['organizations.manage'],
  'POST /api/v1/organizations': ['organizations.manage'],
  'GET /api/v1/organizations/:id': ['organizations.manage'],
  'PATCH /api/v1/organizations/:id': ['organizations.manage'],
  'POST /api/v1/api-keys': ['api_keys.manage'],
  'GET /api/v1/api-keys': ['api_keys.manage'],
  'GET /api/v1/api-keys/:id': ['api_keys.manage'],
  'DELETE /api/v1/api-keys/:id': ['api_keys.manage'],
  'GET /api/v1/audit-log': ['audit.read'],
  'GET /api/v1/audit-log/verify': ['audit.read'],
  'GET /api/v1/schedule': ['content.read'],
  'GET /api/v1/editorial-policy': ['content.read'],
  'PUT /api/v1/editorial-policy': ['policy.manage'],
  'GET /api/v1/security-policy': ['security.manage'],
  'PUT /api/v1/security-policy': ['security.manage'],
  'POST /api/v1/users/:id/mfa/reset': ['users.manage'],
  'GET /api/v1/content/:id/versions': ['content.read'],
  'GET /api/v1/content/:id/versions/:n': ['content.read'],
  'GET /api/v1/content/:id/versions/:a/diff/:b': ['content.read'],
  'POST /api/v1/content/:id/versions/:n/restore': ['content.update', 'content.update_own'],
  'POST /api/v1/content/:id/submit': ['content.update', 'content.update_own'],
  'POST /api/v1/content/:id/approve': ['content.approve'],
  'POST /api/v1/content/:id/reject': ['content.approve'],
  'POST /api/v1/content/:id/publish': ['content.publish'],
  'POST /api/v1/content/:id/schedule': ['content.publish'],
  'POST /api/v1/content/:id/unschedule': ['content.publish'],
  'POST /api/v1/content/:id/unpublish': ['content.publish'],
  'POST /api/v1/content/:id/archive': ['content.archive'],
  'POST /api/v1/content/:id/restore': ['content.archive'],
  'PUT /api/v1/content/:id/compliance': ['content.approve'],
  'POST /api/v1/delivery-tokens': ['delivery_tokens.manage'],
  'GET /api/v1/delivery-tokens': ['delivery_tokens.manage'],
  'GET /api/v1/delivery-tokens/:id': ['delivery_tokens.manage'],
  'DELETE /api/v1/delivery-tokens/:id': ['delivery_tokens.manage'],
  'GET /api/v1/delivery-settings': ['delivery_tokens.manage'],
  'PUT /api/v1/delivery-settings': ['delivery_tokens.manage'],
  'GET /api/v1/content/:id/stats': ['content.read'],
  'GET /api/v1/analytics/summary': ['content.read'],
  'POST /api/v1/webhooks': ['webhooks.manage'],
  'GET /api/v1/webhooks': ['webhooks.manage'],
  'GET /api/v1/webhooks/:id': ['webhooks.manage'],
  'PATCH /api/v1/webhooks/:id': ['webhooks.manage'],
  'DELETE /api/v1/webhooks/:id': ['webhooks.manage'],
  'POST /api/v1/webhooks/:id/rotate-secret': ['webhooks.manage'],
  'GET /api/v1/webhooks/:id/deliveries': ['webhooks.manage'],
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay': ['webhooks.manage'],
  'POST /api/v1/webhooks/:id/test': ['webhooks.manage'],
  'GET /api/v1/sso': ['sso.manage'],
  'PUT /api/v1/sso': ['sso.manage'],
  'DELETE /api/v1/sso': ['sso.manage'],
  'GET /api/v1/system/dead-letters': ['dead_letters.manage'],
  'POST /api/v1/system/dead-letters/:id/replay': ['dead_letters.manage'],
};

const { db } = useHarness();

const { guarded, unguarded } = managementRoutes();

describe('role matrix', () => {
  it('finds the management routes, every one guarded with exactly the intended permissions', () => {
    expect(unguarded).toEqual([]);
    expect(Object.fromEntries(guarded.map((r) => [`${r.method} ${r.path}`, [...r.permissions]]))).toEqual(INTENDED);
  });

  for (const route of guarded) {
    describe(`${route.method} ${route.path} (${route.permissions.join(' | ')})`, () => {
      const hasId = route.path.includes(':id');

      it('anonymous → 401', async () => {
        const res = await request(route, undefined, hasId ? crypto.randomUUID() : undefined);
        score('role-matrix', { tried: 1, failed: res.status === 401 ? 0 : 1 });
        expect(res.status).toBe(401);
      });

      for (const role of userRoles) {
        it(`demo ${role} → ${allowed(role, route, role === fixtureOwner(route.path)) ? '2xx' : '403'}`, async () => {
          const id = hasId ? await fixture(db, route.path) : undefined;
          const res = await request(route, `Bearer ${await tokenFor(role, 'demo')}`, id);
          const expected = allowed(role, route, role === fixtureOwner(route.path));
          score('role-matrix', { tried: 1, failed: (expected ? res.status < 300 : res.status === 403) ? 0 : 1 });
          if (expected) expect(res.status, await res.clone().text()).toBeLessThan(300);
          else expect(res.status, await res.clone().text()).toBe(403);
        });
      }

      it("another organization's org_admin → 404 on demo's ids (nothing changes), else as the table says", async () => {
        const id = hasId ? await fixture(db, route.path) : undefined;
        const before = id ? await snapshot(db, route.path, id) : undefined;
        const res = await request(route, `Bearer ${await tokenFor('org_admin', 'globex')}`, id);
        const permitted = allowed('org_admin', route, false);
        if (!permitted) expect(res.status).toBe(403);
        else if (hasId) {
          const after = await snapshot(db, route.path, id!);
          const leaked = res.status !== 404 || JSON.stringify(after) !== JSON.stringify(before);
          score('tenant', { tried: 1, failed: leaked ? 1 : 0 });
          expect(res.status).toBe(404);
          expect(after).toEqual(before);
        } else expect(res.status).toBeLessThan(300);
      });
    });
  }
});
