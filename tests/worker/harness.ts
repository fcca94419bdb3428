import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Bindings } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import {
  auditLog,
  organizations,
  userRoles,
  users,
  type AuditEntry,
  type NewOrganization,
  type Organization,
  type User,
  type UserRole,
  type UserStatus,
} from '../../src/db/schema/index.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import type { ServiceContext } from '../../src/services/container.ts';
import type { EventEnvelope } from '../../src/events/envelope.ts';
import { queueObserver, type SettledOutcome } from '../../workers/queue.ts';
import { POSTGRES_TAG } from '../stack/skip-report.ts';
import { tokenForUser } from './auth.ts';
import { call, eventually } from './helpers.ts';
import { serviceContext } from './service-context.ts';

export { authHeaders, jsonHeaders, ORG_ID, tokenFor, tokenForUser, userEmail, userId, type SeedOrg } from './auth.ts';
export { BASE, call, callApp, eventually, readProblem } from './helpers.ts';

export type Headers = Record<string, string>;

/** The roles a tenant has one user of (a super_admin belongs to no tenant in particular). */
export type TenantRole = Exclude<UserRole, 'super_admin'>;
export const TENANT_ROLES = userRoles.filter((role): role is TenantRole => role !== 'super_admin');

/** A user inserted by a test, with a bearer token for it. `headers` holds only the Authorization header. */
export type TestUser = User & { token: string; headers: Headers };

/**
 * An organization of the test's own with one active user per role: its policy, lists and settings can
 * change without touching what other test files (running in parallel) see in the seeded demo and globex.
 */
export interface Tenant extends Organization {
  users: Record<TenantRole, TestUser>;
}

/** An audited entity; `action` narrows to one kind of entry. */
export interface AuditEntity {
  type: string;
  id: string;
  action?: string;
}

export interface Harness {
  /** A service context over the test bindings, for calling services directly; closed after the file. */
  readonly ctx: ServiceContext;
  /** The file's database handle (the context's), to arrange rows and check what the API wrote. */
  readonly db: Database;
  /** Another service context (e.g. with a binding overridden, or a second session); closed after the file. */
  context(overrides?: Partial<Bindings>): ServiceContext;
  /** An organization without users (tests that arrange their own). */
  insertOrganization(values?: Partial<NewOrganization>): Promise<Organization>;
  newTenant(values?: Partial<NewOrganization>): Promise<Tenant>;
  /** A tenant created before the file's tests run, filled in place. */
  useTenant(values?: Partial<NewOrganization>): Tenant;
  /** A user of its own (own role, status, rate-limit budget), so tests never change the seeded ones. */
  insertUser(organizationId: string, role: UserRole, options?: InsertUserOptions): Promise<TestUser>;
  /** insertUser once before the file's tests, filled in place. */
  useUser(organizationId: string, role: UserRole): TestUser;
  /** The audit entries of an entity, oldest first. */
  auditRows(entity: AuditEntity): Promise<AuditEntry[]>;
}

/** The issuer of the tokens tests sign (tests/worker/auth.ts, JWT_ISSUER in vitest.config.ts). */
const LOCAL_TEST_ISSUER = 'contentos-local';

export interface InsertUserOptions {
  status?: UserStatus;
  email?: string;
  profile?: Record<string, unknown>;
  /**
   * Already bound to the test issuer's account (sub = user id), as after a first sign-in, so the binding's
   * own audit entry (written after the first response) never lands in the middle of a test. Unbound users
   * are what identity-binding tests need.
   */
  bound?: boolean;
}

export const unique = () => crypto.randomUUID().slice(0, 8);
export const uniqueName = (label = 'test') => `${label} ${crypto.randomUUID()}`;
export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomUUID()}@example.com`;

/** The harness logger: quiet like the Worker's, but keeps what the database pool reports. */
function recordingPoolErrors(errors: unknown[]): Logger {
  const base = createLogger('error');
  const logger: Logger = {
    log(level, msg, fields) {
      if (msg === 'database pool error') errors.push(fields?.error);
      base.log(level, msg, fields);
    },
    child: () => logger,
  };
  return logger;
}

/**
 * The test harness of one file: call once at module level. Everything it opens is closed after the
 * file, and a database pool error on its handles (a connection lost under a test) fails the file.
 */
export function useHarness(): Harness {
  const poolErrors: unknown[] = [];
  const opened: ServiceContext[] = [];
  const context = (overrides: Partial<Bindings> = {}): ServiceContext => {
    const ctx = serviceContext(overrides, recordingPoolErrors(poolErrors));
    opened.push(ctx);
    return ctx;
  };
  const ctx = context();
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.services.dispose()));
    expect(poolErrors, 'database pool errors').toEqual([]);
  });
  const db = ctx.services.db;

  async function insertUser(
    organizationId: string,
    role: UserRole,
    options: InsertUserOptions = {},
  ): Promise<TestUser> {
    const id = crypto.randomUUID();
    const [user] = await db
      .insert(users)
      .values({
        id,
        ...(options.bound ? { idpIssuer: LOCAL_TEST_ISSUER, idpSubject: id } : {}),
        organizationId,
        role,
        status: options.status ?? 'active',
        email: options.email ?? uniqueEmail(role.replace('_', '-')),
        profile: options.profile ?? { displayName: 'Test user' },
      })
      .returning();
    const token = await tokenForUser(user!.id);
    return { ...user!, token, headers: { authorization: `Bearer ${token}` } };
  }

  async function insertOrganization(values: Partial<NewOrganization> = {}): Promise<Organization> {
    const slug = `t-${unique()}`;
    const [org] = await db
      .insert(organizations)
      .values({ name: `Test ${slug}`, slug, ...values })
      .returning();
    return org!;
  }

  async function newTenant(values: Partial<NewOrganization> = {}): Promise<Tenant> {
    const org = await insertOrganization(values);
    const members = await Promise.all(TENANT_ROLES.map((role) => insertUser(org.id, role, { bound: true })));
    return { ...org, users: Object.fromEntries(members.map((u) => [u.role, u])) as Tenant['users'] };
  }

  return {
    ctx,
    db,
    context,
    insertOrganization,
    newTenant,
    insertUser,
    useTenant(values) {
      const tenant = {} as Tenant;
      beforeAll(async () => {
        Object.assign(tenant, await newTenant(values));
      });
      return tenant;
    },
    useUser(organizationId, role) {
      const user = {} as TestUser;
      beforeAll(async () => {
        Object.assign(user, await insertUser(organizationId, role));
      });
      return user;
    },
    auditRows: ({ type, id, action }) =>
      db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.entityType, type),
            eq(auditLog.entityId, id),
            action === undefined ? undefined : eq(auditLog.action, action),
          ),
        )
        .orderBy(asc(auditLog.id)),
  };
}

/** One page of a management list endpoint. */
export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/**
 * Every item a management list endpoint returns to the caller, following its pages. Other test files
 * add rows concurrently, so callers look items up rather than assume positions or totals.
 */
export async function listAll<T>(path: string, headers: Headers): Promise<T[]> {
  const url = new URL(path, 'http://list.invalid');
  url.searchParams.set('limit', '100');
  const all: T[] = [];
  for (let page = 1; ; page++) {
    url.searchParams.set('page', String(page));
    const res = await call(`${url.pathname}${url.search}`, { headers });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as Page<T>;
    all.push(...body.data);
    if (body.data.length < body.limit) return all;
  }
}

/** A JSON body sent with `method` (a string body is sent as it is, for malformed JSON); `headers` win. */
export function postJson(path: string, body: unknown, headers: Headers, method = 'POST'): Promise<Response> {
  return call(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Creates through the API and returns what it answered (201 expected, or the test fails with the body). */
export async function created<T>(path: string, body: unknown, headers: Headers): Promise<T> {
  const res = await postJson(path, body, headers);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as T;
}

/** Test options of a test that needs a real PostgreSQL: skipped on embedded PGlite, and listed at the end. */
export const needsPostgres = { tags: [POSTGRES_TAG] };

export interface Settled {
  event: EventEnvelope;
  outcome: SettledOutcome;
}
// Filled by the queue handler's invocations and read by the tests: a test polls it rather than being woken by
// the handler, because a promise resolved from another request's context would resume the test in that one.
const settled: Settled[] = [];
queueObserver.settled = (event, outcome) => void settled.push({ event, outcome });

/**
 * The deliveries of matching events this Worker's queue consumer has acknowledged (done with for good),
 * once there are `count` of them. A test awaits this, not a sleep, before checking that handling them did
 * NOT do something (count twice, write again).
 */
export function consumed(match: (event: EventEnvelope) => boolean, count = 1, timeoutMs = 15_000): Promise<Settled[]> {
  const found = () => settled.filter((s) => s.outcome === 'acked' && match(s.event));
  return eventually(async () => (found().length >= count ? found() : undefined), timeoutMs, 10);
}
