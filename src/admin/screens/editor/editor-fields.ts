import type { Schemas } from '../../api/client.ts';

export type ContentType = Schemas['Content']['type'];

/** What the editor lets a person change. */
export interface EditorFields {
  title: string;
  type: ContentType;
  platforms: string[];
  body: string;
}

export const CONTENT_TYPES: { value: ContentType; label: string }[] = [
  { value: 'market_update', label: 'Market update' },
  { value: 'news_analysis', label: 'News analysis' },
  { value: 'education', label: 'Education' },
  { value: 'custom', label: 'Custom' },
];

/** As the API checks it (src/routes/content/schemas.ts PLATFORM_SLUG). */
export const PLATFORM_SLUG = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const fieldsOf = (item: Schemas['Content']): EditorFields => ({
  title: item.title,
  type: item.type,
  platforms: item.platforms,
  body: item.body,
});

export function sameFields(a: EditorFields, b: EditorFields): boolean {
  return (
    a.title === b.title &&
    a.type === b.type &&
    a.body === b.body &&
    a.platforms.length === b.platforms.length &&
    a.platforms.every((p, i) => p === b.platforms[i])
  );
}
