import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { findContent } from '../content/get-content.ts';
import { findVersion } from './find-version.ts';
import { diffSnapshots, type FieldChange } from './snapshot-diff.ts';

export interface VersionDiff {
  from: number;
  to: number;
  changes: FieldChange[];
}

/** What changed from version `from` to version `to` (either may be the older one); the same version twice has no changes. */
export async function diffVersions({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; from: number; to: number };
}): Promise<VersionDiff> {
  assertCan(ctx.actor, 'content.read');
  const { db } = ctx.services;
  const item = await findContent(db, ctx, input.id);
  const before = await findVersion(db, ctx, item.id, input.from);
  const after = input.to === input.from ? before : await findVersion(db, ctx, item.id, input.to);
  return { from: input.from, to: input.to, changes: diffSnapshots(before.snapshot, after.snapshot) };
}
