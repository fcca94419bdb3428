import { assertCan } from '../../auth/assert.ts';
import { content, type Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { loadEditorialPolicy } from '../organizations/policy.ts';
import { assertScheduleInFuture, normalizePlatforms, type EditableContent } from './content-rules.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';
import { recordContentChange } from './record-change.ts';
import { screenedFields } from './screen-on-save.ts';

export type NewContentInput = Omit<EditableContent, 'scheduledAt'> & { scheduledAt?: Date | null | undefined };

const CREATOR_FK = 'content_creator_same_organization_fk';

/** Postgres reports a creator from another organization as a foreign-key violation (content_creator_same_organization_fk). */
function isForeignCreator(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const pg = e as Error & { code?: string; constraint?: string };
    if (pg.code === '23503' && pg.constraint === CREATOR_FK) return true;
  }
  return false;
}

/** A draft owned by the caller (for an API key: the user who created the key), in the organization acted in. */
export async function createContent({ ctx, input }: { ctx: TenantContext; input: NewContentInput }): Promise<Content> {
  assertCan(ctx.actor, 'content.create');
  const creatorId = ctx.actor.userId;
  if (creatorId === null)
    throw new DomainError('forbidden', 'Content is created on behalf of a user.', { code: 'creator_required' });
  assertScheduleInFuture(input.scheduledAt);
  const platforms = normalizePlatforms(input.platforms);
  try {
    const { created, eventId } = await ctx.services.db.transaction(async (tx) => {
      const screened = screenedFields(input, await loadEditorialPolicy(tx, ctx.organizationId));
      const [row] = await tx
        .insert(content)
        .values({
          organizationId: ctx.organizationId,
          creatorId,
          type: input.type,
          title: input.title,
          body: input.body,
          platforms,
          scheduledAt: input.scheduledAt ?? null,
          ...screened,
        })
        .returning();
      return {
        created: row!,
        eventId: await recordContentChange(tx, ctx, null, row!, { action: 'content.create', event: 'content.created' }),
      };
    });
    relayAfterCommit(ctx, [eventId]);
    return created;
  } catch (err) {
    // A super_admin acting in another organization (X-Organization-Id) is not a member of it.
    if (isForeignCreator(err)) {
      throw new DomainError(
        'rule_violation',
        'Content is created by a member of its organization; you are acting in an organization you do not belong to.',
        {
          code: 'creator_not_in_organization',
        },
      );
    }
    throw err;
  }
}
