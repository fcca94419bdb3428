import { ERROR_CODES } from '../../../src/lib/error-codes.ts';
import { signToken, tokenForUser } from '../auth.ts';
import { created, type Harness, type Headers, type Tenant } from '../harness.ts';
import { deliveryOfWebhook, fixture, type FixtureScope } from '../security/matrix-operations.ts';
import type { Operation } from './operations.ts';

/**
 * What the fuzzer sends requests as and about: its own organization A (one user per role, a super_admin,
 * an API key, a delivery token), a second organization B whose ids must never be reachable from A, and a
 * third, C, that a super_admin may change freely (A's own settings, such as its rate limit, stay put).
 */

export interface Caller {
  name: string;
  headers: Headers;
  /** The security scheme this credential satisfies, if any. */
  scheme?: 'bearerAuth' | 'deliveryToken';
  superAdmin?: boolean;
}

export interface Pool {
  /** Ids in A (or its slug, or an error code): what A's callers may reach. */
  own: string[];
  /** The same kind of thing in B: A's callers must get what an id that does not exist gets. */
  foreign: string[];
}

export interface World {
  operations: Operation[];
  callers: Caller[];
  pools: Map<string, Pool>;
  tenant: Tenant;
  other: Tenant;
  /** A third organization, for X-Organization-Id and a super_admin's organization routes. */
  spareOrganizationId: string;
  /** Tokens that must be refused: expired, for another audience or issuer, unsigned. */
  badCredentials: string[];
}

export const poolFor = (pools: Map<string, Pool>, name: string): Pool => {
  let pool = pools.get(name);
  if (!pool) {
    pool = { own: [], foreign: [] };
    pools.set(name, pool);
  }
  return pool;
};

const WORKFLOW_STEPS = ['submit', 'approve', 'reject', 'publish', 'schedule', 'unschedule', 'unpublish', 'archive'];

/**
 * The matrix's fixtures (tests/worker/security/matrix-operations.ts): content in the state each workflow step
 * acts on, twice, and a few of each other resource. A fixture made `for` an operation fills that operation's
 * own pool (`METHOD /path#param`), which its requests prefer: a state-changing step finds an item it can
 * change often enough that its success responses are checked too.
 */
interface FixtureSpec {
  /** The matrix fixture's route (it decides the state). */
  path: string;
  /** Operations (`METHOD /path`) whose requests prefer this fixture. */
  for: string[];
  /** Also in the pool every operation on the resource draws from. */
  shared: boolean;
}

const FIXTURES: FixtureSpec[] = [
  ...[...WORKFLOW_STEPS, 'restore', 'compliance'].flatMap((step) =>
    Array.from({ length: 2 }, () => ({
      path: `/api/v1/content/:id/${step}`,
      for: [`POST /api/v1/content/{id}/${step}`],
      shared: true,
    })),
  ),
  // Published content for the delivery API only, so no workflow step unpublishes it under the readers.
  ...Array.from({ length: 3 }, () => ({
    path: '/api/v1/content/:id/unpublish',
    for: ['GET /delivery/v1/{org}/content/{id}'],
    shared: false,
  })),
  // A few of each for everyone to read and change.
  ...['users', 'api-keys', 'delivery-tokens', 'webhooks'].flatMap((kind) =>
    Array.from({ length: 3 }, () => ({ path: `/api/v1/${kind}/:id`, for: [], shared: true })),
  ),
  // A webhook and its dead-lettered delivery for replays alone: DELETE /webhooks/{id} never gets to it.
  {
    path: '/api/v1/webhooks/:id',
    for: ['POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay'],
    shared: false,
  },
  // Deletes and revocations get their own, so they never use up what every other operation reads.
  ...['content', 'api-keys', 'delivery-tokens', 'webhooks'].flatMap((kind) =>
    Array.from({ length: 2 }, () => ({
      path: `/api/v1/${kind}/:id`,
      for: [`DELETE /api/v1/${kind}/{id}`],
      shared: false,
    })),
  ),
];

/** The pool of one path parameter of one operation (`DELETE /api/v1/webhooks/{id}#id`). */
export const operationPool = (op: { method: string; path: string }, param: string) =>
  `${op.method} ${op.path}#${param}`;

async function seedFixtures(h: Harness, org: Tenant, side: keyof Pool, pools: Map<string, Pool>) {
  const scope: FixtureScope = {
    organizationId: org.id,
    contentOwnerId: org.users.editor.id,
    memberId: org.users.org_admin.id,
  };
  for (const { path, for: operations, shared } of FIXTURES) {
    const id = await fixture(h.db, path, scope);
    const collection = path.split('/')[3]!;
    const delivery = deliveryOfWebhook(id);
    if (shared) {
      poolFor(pools, collection)[side].push(id);
      if (delivery) poolFor(pools, 'deliveryId')[side].push(delivery);
    }
    for (const op of operations) {
      const [method, template] = op.split(' ') as [string, string];
      poolFor(pools, operationPool({ method, path: template }, 'id'))[side].push(id);
      if (delivery) poolFor(pools, operationPool({ method, path: template }, 'deliveryId'))[side].push(delivery);
    }
  }
  poolFor(pools, 'org')[side].push(org.slug);
}

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

async function badCredentials(sub: string): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  return [
    await signToken({ sub }, { expiresIn: now - 60 }),
    await signToken({ sub }, { audience: 'another-api' }),
    await signToken({ sub }, { issuer: 'https://issuer.invalid/' }),
    await signToken({ sub }, { notBefore: now + 3600 }),
    `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub, aud: 'contentos-api', iss: 'contentos-local' })}.`,
  ];
}

export async function buildWorld(h: Harness, operations: Operation[]): Promise<World> {
  const [tenant, other, spare] = await Promise.all([h.newTenant(), h.newTenant(), h.insertOrganization()]);
  const superAdmin = await h.insertUser(tenant.id, 'super_admin');
  const admin = tenant.users.org_admin.headers;
  const apiKey = await created<{ secret: string }>('/api/v1/api-keys', { name: 'fuzz', role: 'editor' }, admin);
  const deliveryToken = await created<{ secret: string }>('/api/v1/delivery-tokens', { name: 'fuzz' }, admin);

  const pools = new Map<string, Pool>();
  await seedFixtures(h, tenant, 'own', pools);
  await seedFixtures(h, other, 'foreign', pools);
  // A super_admin manages every organization, so its organization routes get the spare one, never A.
  poolFor(pools, 'organizations').own.push(spare.id);
  poolFor(pools, 'organizations').foreign.push(other.id);
  // A super_admin may act in another organization; the spare one, so A's ids are what the others see.
  poolFor(pools, 'x-organization-id').own.push(spare.id);
  poolFor(pools, 'code').own.push(...Object.keys(ERROR_CODES));

  const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
  // The harness's tokens last 10 minutes; a long campaign runs for hours.
  const lasting = async (userId: string) => bearer(await tokenForUser(userId, { expiresIn: '2d' }));
  const callers: Caller[] = [
    { name: 'anonymous', headers: {} },
    ...(await Promise.all(
      (['org_admin', 'editor', 'approver', 'viewer'] as const).map(
        async (role): Promise<Caller> => ({
          name: role,
          headers: await lasting(tenant.users[role].id),
          scheme: 'bearerAuth',
        }),
      ),
    )),
    { name: 'super_admin', headers: await lasting(superAdmin.id), scheme: 'bearerAuth', superAdmin: true },
    { name: 'api_key(editor)', headers: bearer(apiKey.secret), scheme: 'bearerAuth' },
    { name: 'delivery_token', headers: bearer(deliveryToken.secret), scheme: 'deliveryToken' },
    // Valid signature, but nobody: authentication must fail the same way for every route.
    { name: 'unknown_user', headers: bearer(await signToken({ sub: crypto.randomUUID() }, { expiresIn: '2d' })) },
  ];
  return {
    operations,
    callers,
    pools,
    tenant,
    other,
    spareOrganizationId: spare.id,
    badCredentials: await badCredentials(tenant.users.editor.id),
  };
}
