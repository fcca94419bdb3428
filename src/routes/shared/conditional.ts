import type { VersionPrecondition } from '../../services/content/version-precondition.ts';

// Entity tags and conditional request headers (RFC 9110 §13), shared by the management API (content
// versions) and the delivery API (opaque tags of published items and pages).

/** The item's entity tag: its version, quoted. Strong, because the version changes with every change of the item. */
export const etagOf = (version: number) => `"${version}"`;

// An entity tag is `"…"` or `W/"…"`; lists are comma-separated. Anything unparseable simply never matches.
const ENTITY_TAG = /(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

function entityTags(header: string): { weak: boolean; opaque: string }[] {
  return [...header.matchAll(ENTITY_TAG)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2] ?? '' }));
}

/**
 * If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag never matches, so it is dropped.
 * Absent header → no precondition.
 */
export function ifMatchPrecondition(header: string | undefined): VersionPrecondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return entityTags(header).flatMap((tag) =>
    !tag.weak && /^[1-9]\d{0,9}$/.test(tag.opaque) ? [Number(tag.opaque)] : [],
  );
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"3"` matches `"3"`. */
export function ifNoneMatchIncludes(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = entityTags(etag)[0]?.opaque;
  return opaque !== undefined && entityTags(header).some((tag) => tag.opaque === opaque);
}

export const ifNoneMatchMatches = (header: string | undefined, version: number) =>
  ifNoneMatchIncludes(header, etagOf(version));
