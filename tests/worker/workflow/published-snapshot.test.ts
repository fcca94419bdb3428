import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content } from '../../../src/db/schema/index.ts';
import { authHeaders } from '../auth.ts';
import { call } from '../helpers.ts';
import { act, putCompliance, putContent, readContent, versionsOf, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db } = useHarness();

const snapshotTitle = async (id: string, version: number) =>
  (await versionsOf(db, id)).find((v) => v.version === version)?.snapshot.title;

describe('the published snapshot', () => {
  it('editing published content leaves what readers see alone until a new version is approved and published', async () => {
    const item = await workflowItem(db, { status: 'approved', title: 'Old title', body: 'Old body' });
    const [editor, approver] = [await authHeaders('editor'), await authHeaders('approver')];

    expect((await act(item.id, 'publish', editor, undefined, { 'if-match': '"1"' })).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'published', publishedVersion: 2, version: 2 });
    expect(await snapshotTitle(item.id, 2)).toBe('Old title');

    const edit = await putContent(item.id, editor, { title: 'New title', body: 'New body' });
    expect(edit.status).toBe(200);
    expect(await edit.json()).toMatchObject({
      status: 'draft',
      publishedVersion: 2,
      version: 3,
      title: 'New title',
      complianceStatus: 'pending',
    });
    const get = await call(`/api/v1/content/${item.id}`, { headers: await authHeaders('viewer') });
    expect(await get.json()).toMatchObject({ publishedVersion: 2, status: 'draft' });
    const published = (await versionsOf(db, item.id)).find((v) => v.version === 2)!;
    expect(published.snapshot).toMatchObject({ title: 'Old title', body: 'Old body', status: 'published' });

    // The scorer is not this test's subject: give the new text a passing score, then review and resubmit it.
    await db.update(content).set({ qualityScore: 8 }).where(eq(content.id, item.id));
    expect((await putCompliance(item.id, approver, { status: 'approved' }, { 'if-match': '"3"' })).status).toBe(200);
    expect((await act(item.id, 'submit', editor)).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'pending_approval', publishedVersion: 2 });
    expect((await act(item.id, 'approve', approver, undefined, { 'if-match': '"5"' })).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'approved', publishedVersion: 2, version: 6 });

    const republish = await act(item.id, 'publish', editor, undefined, { 'if-match': '"6"' });
    expect(republish.status).toBe(200);
    expect(await republish.json()).toMatchObject({
      status: 'published',
      publishedVersion: 7,
      version: 7,
      title: 'New title',
    });
    expect(await snapshotTitle(item.id, 7)).toBe('New title');
    expect(await snapshotTitle(item.id, 2)).toBe('Old title');
    expect((await versionsOf(db, item.id)).map((v) => v.action)).toEqual([
      'content.publish',
      'content.update',
      'content.compliance',
      'content.submit',
      'content.approve',
      'content.publish',
    ]);
  });

  it('unpublish takes it off (publishedVersion null) and keeps publishedAt; publishing again points at the new version', async () => {
    const item = await workflowItem(db, { status: 'approved' });
    const editor = await authHeaders('editor');
    const first = await act(item.id, 'publish', editor, undefined, { 'if-match': '"1"' });
    const publishedAt = ((await first.json()) as { publishedAt: string }).publishedAt;
    expect(publishedAt).not.toBeNull();
    expect((await act(item.id, 'unpublish', editor, { comment: 'Correction pending.' })).status).toBe(200);
    const row = await readContent(db, item.id);
    expect(row).toMatchObject({ status: 'approved', publishedVersion: null, version: 3 });
    expect(row!.publishedAt!.toISOString()).toBe(publishedAt);
    expect((await act(item.id, 'publish', editor, undefined, { 'if-match': '"3"' })).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'published', publishedVersion: 4 });
  });
});
