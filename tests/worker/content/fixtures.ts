import { env } from 'cloudflare:test';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/client.ts';
import {
  auditLog,
  content,
  users,
  type Content,
  type NewContent,
  type UserRole,
} from '../../../src/db/schema/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { ORG_ID, tokenForUser, type SeedOrg } from '../auth.ts';
import { call } from '../helpers.ts';

/** Direct database access for one test file, to arrange rows and check what the API wrote; closed after the file. */
export function useDatabase(): Database {
  const handle = openDatabase(loadConfig(env), () => {});
  afterAll(() => handle.close());
  return handle.db;
}

/** A platform slug no other test uses, so filters see only this test's rows. */
export const uniquePlatform = () => `t${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** A user of its own (and so its own rate-limit budget), inserted directly since there is no API for it here. */
export async function insertUser(db: Database, role: UserRole, org: SeedOrg = 'demo') {
  const [user] = await db
    .insert(users)
    .values({ organizationId: ORG_ID[org], email: `content-${crypto.randomUUID()}@example.com`, role })
    .returning();
  const token = await tokenForUser(user!.id);
  return { id: user!.id, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

/** A fresh user for one test file, filled in before its tests run. */
export function useUser(db: Database, role: UserRole, org: SeedOrg = 'demo') {
  const user = { id: '', headers: {} as Record<string, string> };
  beforeAll(async () => {
    Object.assign(user, await insertUser(db, role, org));
  });
  return user;
}

export async function insertContent(
  db: Database,
  values: Partial<NewContent> & { creatorId: string; org?: SeedOrg },
): Promise<Content> {
  const { org = 'demo', ...rest } = values;
  const [row] = await db
    .insert(content)
    .values({
      organizationId: ORG_ID[org],
      type: 'education',
      title: `Fixture ${crypto.randomUUID()}`,
      platforms: [uniquePlatform()],
      ...rest,
    })
    .returning();
  return row!;
}

export async function readContent(db: Database, id: string): Promise<Content | undefined> {
  const [row] = await db.select().from(content).where(eq(content.id, id));
  return row;
}

export async function contentByPlatform(db: Database, platform: string): Promise<Content[]> {
  return db
    .select()
    .from(content)
    .where(eq(content.platforms, [platform]));
}

export function auditRows(db: Database, entityId: string, action?: string) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, 'content'),
        eq(auditLog.entityId, entityId),
        action ? eq(auditLog.action, action) : undefined,
      ),
    )
    .orderBy(asc(auditLog.id));
}

export interface ContentBody {
  id: string;
  organizationId: string;
  creatorId: string;
  type: string;
  title: string;
  body: string;
  platforms: string[];
  status: string;
  qualityScore: number | null;
  complianceStatus: string;
  scheduledAt: string | null;
  publishedAt: string | null;
  engagementStats: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const validBody = (overrides: Record<string, unknown> = {}) => ({
  type: 'market_update',
  title: 'Rates outlook',
  body: 'Text',
  platforms: [uniquePlatform()],
  ...overrides,
});

export function postContent(
  headers: Record<string, string>,
  body: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  return call('/api/v1/content', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
