import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content } from '../../../src/db/schema/index.ts';
import { authHeaders, userId } from '../auth.ts';
import { useHarness } from '../harness.ts';
import { call } from '../helpers.ts';
import { createKey, keyHeaders } from '../api-keys/fixtures.ts';

const { db, auditRows } = useHarness();

describe('POST /api/v1/content with an API key', () => {
  it("belongs to the key's creator, while the audit log names the key", async () => {
    const key = await createKey({ role: 'editor' }, { headers: await authHeaders('org_admin') });
    const res = await call('/api/v1/content', {
      method: 'POST',
      headers: { ...keyHeaders(key.secret), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'education', title: 'Written by a machine client', platforms: ['web'] }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; creatorId: string };
    expect(created.creatorId).toBe(userId('org_admin'));
    const [row] = await db.select().from(content).where(eq(content.id, created.id));
    expect(row?.creatorId).toBe(userId('org_admin'));
    const audits = await auditRows({ type: 'content', id: created.id, action: 'content.create' });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: 'api_key', actorId: key.id });
  });

  it('is refused for a viewer key', async () => {
    const key = await createKey({ role: 'viewer' }, { headers: await authHeaders('org_admin') });
    const res = await call('/api/v1/content', {
      method: 'POST',
      headers: { ...keyHeaders(key.secret), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'education', title: 'Nope', platforms: ['web'] }),
    });
    expect(res.status).toBe(403);
  });
});
