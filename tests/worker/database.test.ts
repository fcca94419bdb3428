import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content, organizations, users } from '../../src/db/schema/index.ts';
import { useHarness } from './harness.ts';

/** Postgres reached from inside workerd through the Neon serverless driver and the local proxy (a pool error fails the file). */
const { db } = useHarness();

const slug = () => `t-${crypto.randomUUID().slice(0, 8)}`;

async function makeOrg() {
  const [org] = await db.insert(organizations).values({ name: 'Test Org', slug: slug() }).returning();
  const [user] = await db
    .insert(users)
    .values({ organizationId: org!.id, email: `${crypto.randomUUID()}@example.com`, role: 'editor' })
    .returning();
  return { org: org!, user: user! };
}

/** Postgres error code of a failed query (the driver wraps it in drizzle's query error). */
async function pgCode(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? (err as { code?: string }).code;
  }
}

describe('Postgres through the Neon driver', () => {
  it('round-trips an organization, a user and content with every column', async () => {
    const { org, user } = await makeOrg();
    const scheduledAt = new Date(Date.now() + 86_400_000);
    const [created] = await db
      .insert(content)
      .values({
        organizationId: org.id,
        creatorId: user.id,
        type: 'market_update',
        title: 'Round trip',
        body: 'Body text ✓ with unicode',
        platforms: ['web', 'app'],
        qualityScore: 7.25,
        scheduledAt,
        engagementStats: { views: 3 },
      })
      .returning();
    expect(created).toMatchObject({ status: 'draft', complianceStatus: 'pending', version: 1, publishedAt: null });

    const [read] = await db
      .select()
      .from(content)
      .where(and(eq(content.id, created!.id), eq(content.organizationId, org.id)));
    expect(read).toMatchObject({
      title: 'Round trip',
      body: 'Body text ✓ with unicode',
      platforms: ['web', 'app'],
      qualityScore: 7.25,
      engagementStats: { views: 3 },
    });
    expect(read!.scheduledAt?.toISOString()).toBe(scheduledAt.toISOString());
    expect(read!.createdAt).toBeInstanceOf(Date);

    const byPlatform = await db
      .select({ id: content.id })
      .from(content)
      .where(and(eq(content.organizationId, org.id), sql`${content.platforms} @> array['app']::text[]`));
    expect(byPlatform.map((r) => r.id)).toEqual([created!.id]);
  });

  it('runs an interactive transaction and rolls it back on error', async () => {
    const name = slug();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(organizations).values({ name: 'Rolled back', slug: name });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.select().from(organizations).where(eq(organizations.slug, name))).toEqual([]);
  });

  it('enforces the constraints of the specification', async () => {
    const { org, user } = await makeOrg();
    const base = { organizationId: org.id, creatorId: user.id, type: 'education' as const, title: 'ok' };
    expect(await pgCode(db.insert(content).values({ ...base, title: 'x'.repeat(201) }))).toBe('22001');
    expect(await pgCode(db.insert(content).values({ ...base, title: '' }))).toBe('23514');
    expect(await pgCode(db.insert(content).values({ ...base, qualityScore: 10.5 }))).toBe('23514');
    expect(await pgCode(db.insert(content).values({ ...base, qualityScore: -1 }))).toBe('23514');
    expect(
      await pgCode(db.insert(users).values({ organizationId: org.id, email: 'not-an-email', role: 'viewer' })),
    ).toBe('23514');
    expect(
      await pgCode(
        db.insert(users).values({ organizationId: org.id, email: user.email.toUpperCase(), role: 'viewer' }),
      ),
    ).toBe('23505');
    expect(await pgCode(db.insert(organizations).values({ name: 'Bad', slug: 'Not A Slug' }))).toBe('23514');
    expect(
      await pgCode(
        db.execute(
          sql`insert into content (organization_id, creator_id, type, title) values (${org.id}, ${user.id}, 'podcast', 'x')`,
        ),
      ),
    ).toBe('22P02');
  });

  it('refuses content whose creator belongs to another organization', async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const code = await pgCode(
      db
        .insert(content)
        .values({ organizationId: a.org.id, creatorId: b.user.id, type: 'custom', title: 'cross-tenant' }),
    );
    expect(code).toBe('23503');
  });

  it('has the indexes the list filters need', async () => {
    const rows = await db.execute<{ indexname: string; indexdef: string }>(
      sql`select indexname, indexdef from pg_indexes where tablename = 'content'`,
    );
    const defs = Object.fromEntries(rows.rows.map((r) => [r.indexname, r.indexdef]));
    expect(defs.content_organization_status_idx).toMatch(/\(organization_id, status\)/);
    expect(defs.content_organization_created_at_idx).toMatch(/\(organization_id, created_at DESC/);
    expect(defs.content_platforms_gin_idx).toMatch(/USING gin \(platforms\)/);
  });
});
