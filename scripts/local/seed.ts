import type { Database } from '../../src/db/client.ts';
import {
  content,
  contentVersions,
  organizations,
  users,
  type ContentStatus,
  type ContentType,
  type NewContent,
} from '../../src/db/schema/index.ts';
import { versionSnapshot } from '../../src/services/content/content-rules.ts';
import { SEED_ORGS, seedContentId, seedOrgId, seedRoles, seedUserEmail, seedUserId } from './seed-ids.ts';

interface Sample {
  type: ContentType;
  title: string;
  status: ContentStatus;
  platforms: string[];
}

const SAMPLES: Sample[] = [
  {
    type: 'market_update',
    title: 'Morning briefing: yields edge higher ahead of CPI',
    status: 'published',
    platforms: ['web', 'app'],
  },
  {
    type: 'market_update',
    title: 'Oil slips as inventories build for a third week',
    status: 'published',
    platforms: ['web', 'newsletter'],
  },
  {
    type: 'news_analysis',
    title: 'What the central bank minutes say about the pace of cuts',
    status: 'approved',
    platforms: ['web'],
  },
  {
    type: 'news_analysis',
    title: 'Earnings season so far: margins hold, guidance softens',
    status: 'pending_approval',
    platforms: ['web', 'app'],
  },
  {
    type: 'education',
    title: 'Bonds 101: why prices fall when yields rise',
    status: 'published',
    platforms: ['web', 'app', 'newsletter'],
  },
  {
    type: 'education',
    title: 'Understanding options: calls, puts and the Greeks',
    status: 'draft',
    platforms: ['web'],
  },
  { type: 'education', title: 'Diversification explained in five charts', status: 'approved', platforms: ['app'] },
  {
    type: 'market_update',
    title: 'Weekly wrap: equities end mixed, dollar firmer',
    status: 'draft',
    platforms: ['web', 'social'],
  },
  {
    type: 'news_analysis',
    title: 'Trade data and the currency: reading the signals',
    status: 'archived',
    platforms: ['web'],
  },
  {
    type: 'custom',
    title: 'Platform update: new research alerts in the app',
    status: 'published',
    platforms: ['app', 'social'],
  },
  {
    type: 'education',
    title: 'How to read a company cash-flow statement',
    status: 'pending_approval',
    platforms: ['web', 'newsletter'],
  },
  {
    type: 'market_update',
    title: 'Emerging markets: flows turn positive in November',
    status: 'draft',
    platforms: ['web'],
  },
];

const DISCLAIMER =
  'This material is for information only and is not investment advice. Past performance is not a reliable indicator of future results.';

function sampleBody(sample: Sample, orgName: string): string {
  return [
    `## ${sample.title}`,
    '',
    `${orgName} research team.`,
    '',
    'Markets opened cautiously as investors weighed fresh data against the outlook for policy. ' +
      'We look at what moved, why it matters, and what to watch next.',
    '',
    '- Key level to watch and why it matters.',
    '- What the latest data changes in the outlook.',
    '- How this fits the longer-term picture.',
    '',
    sample.type === 'market_update' || sample.type === 'news_analysis' ? DISCLAIMER : '',
  ].join('\n');
}

/**
 * Idempotent: organizations, one user per role, and a dozen content items per organization, with
 * fixed ids, so running it again (every `npm run dev`) changes nothing that exists.
 */
export async function seedDemoData(db: Database): Promise<{ organizations: number; users: number; content: number }> {
  let userCount = 0;
  let contentCount = 0;
  const now = Date.now();
  await db.transaction(async (tx) => {
    for (const org of SEED_ORGS) {
      const organizationId = seedOrgId(org.slug);
      await tx
        .insert(organizations)
        .values({ id: organizationId, slug: org.slug, name: org.name })
        .onConflictDoNothing();
      const roles = seedRoles(org.slug);
      for (const role of roles) {
        await tx
          .insert(users)
          .values({
            id: seedUserId(org.slug, role),
            organizationId,
            email: seedUserEmail(org.slug, role),
            role,
            profile: { displayName: `${org.name} ${role}` },
          })
          .onConflictDoNothing();
        userCount++;
      }
      const editorId = seedUserId(org.slug, 'editor');
      const rows: NewContent[] = SAMPLES.map((sample, index) => {
        const createdAt = new Date(now - (SAMPLES.length - index) * 3_600_000);
        const published = sample.status === 'published';
        return {
          id: seedContentId(org.slug, index),
          organizationId,
          creatorId: index % 3 === 2 ? seedUserId(org.slug, 'org_admin') : editorId,
          type: sample.type,
          title: sample.title,
          body: sampleBody(sample, org.name),
          platforms: sample.platforms,
          status: sample.status,
          qualityScore: 7.5 + (index % 4) * 0.5,
          complianceStatus: sample.status === 'draft' || sample.status === 'pending_approval' ? 'pending' : 'approved',
          publishedAt: published ? createdAt : null,
          publishedVersion: published ? 1 : null,
          createdAt,
          updatedAt: createdAt,
        };
      });
      const inserted = await tx.insert(content).values(rows).onConflictDoNothing().returning();
      // Each seeded item starts with its first version, as if created through the API.
      if (inserted.length > 0) {
        await tx
          .insert(contentVersions)
          .values(
            inserted.map((row) => ({
              contentId: row.id,
              version: row.version,
              organizationId,
              action: 'content.create',
              snapshot: versionSnapshot(row),
              authorType: 'system',
              message: 'seeded',
            })),
          )
          .onConflictDoNothing();
      }
      contentCount += rows.length;
    }
  });
  return { organizations: SEED_ORGS.length, users: userCount, content: contentCount };
}
