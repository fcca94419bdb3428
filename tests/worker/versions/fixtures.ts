import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { contentVersions } from '../../../src/db/schema/index.ts';
import { call, created, postJson, type Headers } from '../harness.ts';
import { uniquePlatform } from '../content/fixtures.ts';

export interface Edit {
  type?: string;
  title?: string;
  body?: string;
  platforms?: string[];
}

/** An item created and then edited through the API, so every version row is the one the API writes. */
export async function itemWithHistory(headers: Headers, first: Edit, ...edits: Edit[]): Promise<string> {
  const { id } = await created<{ id: string }>(
    '/api/v1/content',
    { type: 'education', platforms: [uniquePlatform()], title: `History ${crypto.randomUUID()}`, ...first },
    headers,
  );
  for (const edit of edits) expect((await postJson(`/api/v1/content/${id}`, edit, headers, 'PUT')).status).toBe(200);
  return id;
}

export const versionRows = (db: Database, contentId: string) =>
  db
    .select()
    .from(contentVersions)
    .where(eq(contentVersions.contentId, contentId))
    .orderBy(asc(contentVersions.version));

export async function versionRow(db: Database, contentId: string, version: number) {
  const [row] = await db
    .select()
    .from(contentVersions)
    .where(and(eq(contentVersions.contentId, contentId), eq(contentVersions.version, version)));
  return row;
}

export const getJson = async <T>(
  path: string,
  headers: Record<string, string>,
): Promise<{ res: Response; body: T }> => {
  const res = await call(path, { headers });
  return { res, body: (await res.clone().json()) as T };
};
