import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema/index.ts';
import { ORG_ID } from '../auth.ts';
import { unique, useHarness } from '../harness.ts';
import { call } from '../helpers.ts';
import { createToken } from './fixtures.ts';

const { db, insertOrganization, insertUser } = useHarness();

/**
 * Unlike an API key, a delivery token does not follow its creator (ADR 0026): it reads what the
 * organization has published, whoever made it, so neither a demotion nor a suspension changes what it may
 * do, and a website keeps working when the person who set it up leaves. Revocation is the off switch.
 */
describe('a delivery token and its creator', () => {
  it('keeps reading after its creator is demoted and suspended; the creator cannot be moved to another organization', async () => {
    const org = await insertOrganization({ name: `Token creator ${unique()}` });
    const admin = await insertUser(org.id, 'org_admin');
    const token = await createToken({}, { headers: admin.headers });
    const read = () =>
      call(`/delivery/v1/${org.slug}/content`, { headers: { authorization: `Bearer ${token.secret}` } });
    expect((await read()).status).toBe(200);

    await db.update(users).set({ role: 'viewer', status: 'suspended' }).where(eq(users.id, admin.id));
    expect((await read()).status).toBe(200);

    const refused = await db
      .update(users)
      .set({ organizationId: ORG_ID.globex })
      .where(eq(users.id, admin.id))
      .then(
        () => undefined,
        (err: unknown) => err as { cause?: { code?: string; constraint?: string } },
      );
    expect(refused?.cause).toMatchObject({ code: '23503', constraint: 'delivery_tokens_creator_same_organization_fk' });
  });
});
