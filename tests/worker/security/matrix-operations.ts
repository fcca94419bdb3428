import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { can, type Action, type Grant } from '../../../src/auth/permissions.ts';
import { createApp } from '../../../src/app.ts';
import type { Database } from '../../../src/db/client.ts';
import {
  apiKeys,
  content,
  contentVersions,
  deadLetters,
  deliveryTokens,
  users,
  webhookDeliveries,
  webhooks,
  type UserRole,
} from '../../../src/db/schema/index.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { HEARTBEAT_EVENT } from '../../../src/events/system.ts';
import { versionSnapshot } from '../../../src/services/content/content-rules.ts';
import { loadConfig } from '../../../src/config.ts';
import { insertSigningSecret } from '../../../src/services/webhooks/secret-store.ts';
import type { PermissionGuard } from '../../../src/routes/shared/guard.ts';
import { ORG_ID, userId } from '../auth.ts';
import { call } from '../helpers.ts';

/**
 * The operations of the role matrices (users' tokens in role-matrix.test.ts, API keys in
 * api-key-matrix.test.ts): every management route, read from the guards the app registers, with a
 * fixture and a body each route accepts, so "allowed" means a 2xx and not just "not 403".
 */

/** Routes meant for any authenticated caller, and so without a guard (the /me/mfa ones: a user's own factor). */
const OPEN_TO_ANY_AUTHENTICATED = new Set([
  'GET /api/v1/me',
  'GET /api/v1/me/permissions',
  'GET /api/v1/me/mfa',
  'POST /api/v1/me/mfa/totp',
  'DELETE /api/v1/me/mfa/totp',
  'POST /api/v1/me/mfa/totp/confirm',
  'POST /api/v1/me/mfa/verify',
  // A person's own browser sessions (an API key is refused by the service: it has none).
  'GET /api/v1/me/sessions',
  'DELETE /api/v1/me/sessions/:id',
]);

const ready = { complianceStatus: 'approved', qualityScore: 8 } as const;
/**
 * Workflow routes need an item in the state they act on; these are created by demo's editor, so the
 * four-eyes rules never stand in for a permission (the creator is never the one approving here).
 */
const WORKFLOW_STATE: Record<string, Partial<typeof content.$inferInsert>> = {
  submit: { status: 'draft' },
  approve: { status: 'pending_approval', ...ready },
  reject: { status: 'pending_approval' },
  publish: { status: 'approved', ...ready },
  schedule: { status: 'approved', ...ready },
  unschedule: {
    status: 'approved',
    ...ready,
    scheduledAt: new Date(Date.now() + 30 * 86_400_000),
    scheduledVersion: 1,
  },
  unpublish: { status: 'published', publishedVersion: 1, publishedAt: new Date() },
  archive: { status: 'draft' },
  restore: { status: 'archived' },
  compliance: { status: 'draft' },
};
const workflowStep = (path: string) => /^\/api\/v1\/content\/:id\/(\w+)$/.exec(path)?.[1];

export interface RouteUnderTest {
  method: string;
  path: string;
  permissions: readonly string[];
}

export function managementRoutes(): { guarded: RouteUnderTest[]; unguarded: string[] } {
  const routes = createApp().routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL');
  const guards = new Map<string, readonly string[]>();
  for (const r of routes) {
    const permissions = (r.handler as Partial<PermissionGuard>).permissions;
    if (permissions) guards.set(`${r.method} ${r.path}`, permissions);
  }
  const all = new Set(routes.map((r) => `${r.method} ${r.path}`));
  return {
    guarded: [...guards].map(([key, permissions]) => {
      const [method, path] = key.split(' ') as [string, string];
      return { method, path, permissions };
    }),
    unguarded: [...all].filter((key) => !guards.has(key) && !OPEN_TO_ANY_AUTHENTICATED.has(key)),
  };
}

const rand = () => crypto.randomUUID().slice(0, 8);

/** Content fixtures belong to demo's org_admin, except workflow ones (demo's editor: see WORKFLOW_STATE). */
export const fixtureOwner = (path: string): UserRole =>
  workflowStep(path) && workflowStep(path) !== 'versions' ? 'editor' : 'org_admin';

/** Where fixtures are made: the organization, who wrote the content, and the member who made the rest. */
export interface FixtureScope {
  organizationId: string;
  contentOwnerId: string;
  memberId: string;
}

const demoScope = (path: string): FixtureScope => ({
  organizationId: ORG_ID.demo,
  contentOwnerId: userId(fixtureOwner(path)),
  memberId: userId('org_admin'),
});

/** A fresh resource for each call (in demo unless told), so one caller's success never changes another's fixture. */
export async function fixture(db: Database, path: string, scope: FixtureScope = demoScope(path)): Promise<string> {
  if (path.startsWith('/api/v1/content/')) {
    const step = workflowStep(path);
    const state = step ? WORKFLOW_STATE[step] : undefined;
    const [row] = await db
      .insert(content)
      .values({
        organizationId: scope.organizationId,
        creatorId: scope.contentOwnerId,
        type: 'custom',
        title: `matrix ${rand()}`,
        platforms: ['matrix'],
        ...state,
      })
      .returning();
    await db.insert(contentVersions).values({
      contentId: row!.id,
      version: 1,
      organizationId: scope.organizationId,
      action: 'content.create',
      snapshot: versionSnapshot(row!),
      authorType: 'system',
    });
    return row!.id;
  }
  if (path.startsWith('/api/v1/users/')) {
    const [row] = await db
      .insert(users)
      .values({ organizationId: scope.organizationId, email: `matrix-${rand()}@demo.example.com`, role: 'viewer' })
      .returning({ id: users.id });
    return row!.id;
  }
  if (path.startsWith('/api/v1/api-keys/')) {
    const [row] = await db
      .insert(apiKeys)
      .values({
        organizationId: scope.organizationId,
        name: `matrix ${rand()}`,
        role: 'viewer',
        prefix: 'cos_matrix',
        secretHash: await hashApiKeySecret(crypto.randomUUID()),
        createdBy: scope.memberId,
      })
      .returning({ id: apiKeys.id });
    return row!.id;
  }
  if (path.startsWith('/api/v1/delivery-tokens/')) {
    const [row] = await db
      .insert(deliveryTokens)
      .values({
        organizationId: scope.organizationId,
        name: `matrix ${rand()}`,
        prefix: 'cosd_matrix',
        secretHash: await hashApiKeySecret(crypto.randomUUID()),
        createdBy: scope.memberId,
      })
      .returning({ id: deliveryTokens.id });
    return row!.id;
  }
  if (path.startsWith('/api/v1/webhooks/')) {
    // Off, so no content event of the suite is fanned out to it; test sends and replays still reach the receiver.
    const [row] = await db
      .insert(webhooks)
      .values({
        organizationId: scope.organizationId,
        url: `${inject('webhookReceiverUrl')}/hooks/ok/matrix-${rand()}`,
        eventTypes: ['*'],
        active: false,
        createdBy: scope.memberId,
      })
      .returning({ id: webhooks.id });
    await insertSigningSecret(db, loadConfig(env).webhooks.secretKey, row!.id);
    const [delivery] = await db
      .insert(webhookDeliveries)
      .values({
        organizationId: scope.organizationId,
        webhookId: row!.id,
        eventId: crypto.randomUUID(),
        eventType: 'webhook.test',
        payload: '{}',
        status: 'dead_letter',
      })
      .returning({ id: webhookDeliveries.id });
    deliveryOf.set(row!.id, delivery!.id);
    return row!.id;
  }
  if (path.startsWith('/api/v1/organizations/')) return scope.organizationId;
  if (path.startsWith('/api/v1/system/dead-letters/')) {
    // A heartbeat whose effect failed: replaying it succeeds (it writes the queue heartbeat record).
    const event = newEvent(HEARTBEAT_EVENT, null, {});
    const [row] = await db
      .insert(deadLetters)
      .values({
        eventId: event.id,
        effect: 'queue-heartbeat',
        eventType: event.type,
        reason: 'effect_failed',
        envelope: event,
        lastError: 'matrix',
      })
      .returning({ id: deadLetters.id });
    return row!.id;
  }
  throw new Error(`no fixture for ${path}`);
}

/** The delivery each webhook fixture comes with, for `{deliveryId}`. */
const deliveryOf = new Map<string, string>();
export const deliveryOfWebhook = (webhookId: string): string | undefined => deliveryOf.get(webhookId);

/** A request each route accepts when the caller may make it, so "allowed" means a 2xx, not just "not 403". */
function validBody(method: string, path: string): unknown {
  const key = `${method} ${path}`;
  const bodies: Record<string, unknown> = {
    'POST /api/v1/content': { type: 'custom', title: `matrix ${rand()}`, platforms: ['matrix'] },
    'PUT /api/v1/content/:id': { title: `matrix edit ${rand()}` },
    'POST /api/v1/content/score': { type: 'custom', title: 'matrix', body: 'A dry run.' },
    'POST /api/v1/users': { email: `matrix-new-${rand()}@demo.example.com`, role: 'viewer' },
    'PATCH /api/v1/users/:id': { profile: { matrix: true } },
    'POST /api/v1/organizations': { name: `Matrix ${rand()}`, slug: `matrix-${rand()}` },
    'PATCH /api/v1/organizations/:id': { name: 'Demo Capital Markets' },
    'POST /api/v1/api-keys': { name: `matrix ${rand()}`, role: 'viewer' },
    'PUT /api/v1/editorial-policy': { approvalThreshold: 7 },
    // demo keeps its default policy: the matrix must not change what other files' tokens need.
    'PUT /api/v1/security-policy': { mfa: { builtInTotp: true } },
    'POST /api/v1/users/:id/mfa/reset': undefined,
    'POST /api/v1/content/:id/versions/:n/restore': { message: 'matrix' },
    'POST /api/v1/content/:id/submit': {},
    'POST /api/v1/content/:id/approve': {},
    'POST /api/v1/content/:id/reject': { comment: 'matrix' },
    'POST /api/v1/content/:id/publish': {},
    'POST /api/v1/content/:id/schedule': { scheduledAt: '2030-01-01T09:00:00Z' },
    'POST /api/v1/content/:id/unschedule': {},
    'POST /api/v1/content/:id/unpublish': {},
    'POST /api/v1/content/:id/archive': {},
    'POST /api/v1/content/:id/restore': {},
    'PUT /api/v1/content/:id/compliance': { status: 'approved' },
    'POST /api/v1/delivery-tokens': { name: `matrix ${rand()}` },
    // demo stays token-only: the matrix must not open another test's organization to the public.
    'PUT /api/v1/delivery-settings': { publicAccess: false },
    // Off and subscribed to a rare event: the matrix's webhooks never receive the suite's traffic.
    'POST /api/v1/webhooks': {
      url: `${inject('webhookReceiverUrl')}/hooks/ok/matrix-${rand()}`,
      eventTypes: ['content.schedule_failed'],
      active: false,
    },
    'PATCH /api/v1/webhooks/:id': { description: `matrix ${rand()}` },
    'POST /api/v1/webhooks/:id/rotate-secret': {},
    'POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay': {},
    'POST /api/v1/webhooks/:id/test': {},
    // Off: the matrix configures demo's and globex's SSO but never opens a sign-in page for them.
    'PUT /api/v1/sso': {
      issuer: inject('oidcIssuer'),
      clientId: `matrix-${rand()}`,
      clientSecret: 'matrix',
      enabled: false,
    },
    'POST /api/v1/system/dead-letters/:id/replay': {},
  };
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (!(key in bodies)) throw new Error(`no valid body for ${key}: add one`);
  return bodies[key];
}

const SIGN_OFFS = new Set([
  'POST /api/v1/content/:id/approve',
  'POST /api/v1/content/:id/publish',
  'POST /api/v1/content/:id/schedule',
  'PUT /api/v1/content/:id/compliance',
]);

export async function request(route: RouteUnderTest, authorization: string | undefined, id: string | undefined) {
  const body = validBody(route.method, route.path);
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // Version numbers: every fixture has version 1. The sign-offs must name it (428 otherwise).
  if (SIGN_OFFS.has(`${route.method} ${route.path}`)) headers['if-match'] = '"1"';
  const path = route.path
    .replace(':deliveryId', (id && deliveryOf.get(id)) ?? crypto.randomUUID())
    .replace(':id', id ?? '')
    .replace(/:(n|a|b)\b/g, '1');
  return call(path, { method: route.method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

/**
 * What the table says for a role (or an explicit set of actions: an API key's), with the edit rule
 * ("owner or editor") decided against the fixture's owner.
 */
export function allowed(grant: Grant, route: RouteUnderTest, callerOwnsFixture: boolean): boolean {
  // The edit rule ("owner or editor") decides on the row, for PUT and for restoring a version alike.
  if (route.permissions.includes('content.update_own'))
    return can(grant, 'content.update') || (callerOwnsFixture && can(grant, 'content.update_own'));
  return route.permissions.some((action) => can(grant, action as Action));
}

export async function snapshot(db: Database, path: string, id: string): Promise<unknown> {
  if (path.startsWith('/api/v1/content/')) return (await db.select().from(content).where(eq(content.id, id)))[0];
  if (path.startsWith('/api/v1/users/')) return (await db.select().from(users).where(eq(users.id, id)))[0];
  if (path.startsWith('/api/v1/api-keys/')) return (await db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
  if (path.startsWith('/api/v1/delivery-tokens/'))
    return (await db.select().from(deliveryTokens).where(eq(deliveryTokens.id, id)))[0];
  if (path.startsWith('/api/v1/webhooks/')) {
    return {
      webhook: (await db.select().from(webhooks).where(eq(webhooks.id, id)))[0],
      deliveries: await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)),
    };
  }
  return undefined;
}
