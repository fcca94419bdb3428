/**
 * Where the item goes out: a checkbox per platform the organization already uses (from its content), plus
 * free entry of a new slug, checked as the API checks it.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { PLATFORM_SLUG } from './editor-fields.ts';

interface Props {
  org: string;
  value: string[];
  onChange: (platforms: string[]) => void;
  readOnly: boolean;
  error?: string;
}

export function PlatformsField({ org, value, onChange, readOnly, error }: Props) {
  const id = useId();
  const [entry, setEntry] = useState('');
  const [entryError, setEntryError] = useState<string | null>(null);
  const known = useQuery({
    queryKey: ['org-platforms', org],
    queryFn: async () => {
      const page = unwrap(
        await api.GET('/api/v1/content', { params: { query: { limit: 100, sort: 'updated_at', order: 'desc' } } }),
      );
      return [...new Set(page.data.flatMap((item) => item.platforms))].sort();
    },
    staleTime: 5 * 60_000,
  });
  const options = [...new Set([...(known.data ?? []), ...value])].sort();
  const toggle = (platform: string, on: boolean) =>
    onChange(on ? [...value, platform] : value.filter((p) => p !== platform));
  const add = () => {
    const slug = entry.trim().toLowerCase();
    if (!PLATFORM_SLUG.test(slug)) {
      setEntryError('Lowercase letters, digits, "_" or "-", at most 40 characters.');
      return;
    }
    if (!value.includes(slug)) onChange([...value, slug]);
    setEntry('');
    setEntryError(null);
  };
  return (
    <fieldset className="platforms" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Platforms</legend>
      {known.isPending ? <p className="muted small">Loading the organization’s platforms…</p> : null}
      {known.isError ? (
        <p className="muted small">Could not load the platforms in use; you can still add one.</p>
      ) : null}
      <div className="platform-options">
        {options.map((platform) => (
          <label key={platform} className="platform-option">
            <input
              type="checkbox"
              checked={value.includes(platform)}
              disabled={readOnly}
              onChange={(event) => toggle(platform, event.target.checked)}
            />
            {platform}
          </label>
        ))}
        {options.length === 0 && !known.isPending ? <p className="muted small">No platforms yet.</p> : null}
      </div>
      {readOnly ? null : (
        <div className="row platform-add">
          <input
            aria-label="New platform"
            placeholder="new-platform"
            value={entry}
            aria-invalid={entryError ? true : undefined}
            aria-describedby={entryError ? `${id}-entry` : undefined}
            onChange={(event) => setEntry(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
          <Button onClick={add} disabledReason={entry.trim() ? null : 'Type a platform slug first'}>
            Add platform
          </Button>
        </div>
      )}
      {entryError ? (
        <p id={`${id}-entry`} className="field-error">
          {entryError}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
