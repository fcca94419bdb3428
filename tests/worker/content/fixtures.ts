import { eq } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.ts';
import { content, type Content, type NewContent } from '../../../src/db/schema/index.ts';
import { ORG_ID, postJson, type Headers, type SeedOrg } from '../harness.ts';

/** A platform slug no other test uses, so filters see only this test's rows. */
export const uniquePlatform = () => `t${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

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

export const postContent = (headers: Headers, body: unknown, extra: Headers = {}): Promise<Response> =>
  postJson('/api/v1/content', body, { ...headers, ...extra });
