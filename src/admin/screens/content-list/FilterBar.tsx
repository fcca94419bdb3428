/**
 * The list's facets: one labelled control per filter, and the filters in force as removable chips (each
 * chip's button names what it removes). Every change goes to the URL and back to page 1.
 */
import { useId } from 'react';
import { useOrgUsers, userName } from '../../api/use-org-users.ts';
import { useSession } from '../../auth/session.tsx';
import { statusLabel } from '../../ui/Pill.tsx';
import {
  complianceLabel,
  complianceValues,
  type FilterKey,
  type ListState,
  statuses,
  typeLabel,
  types,
} from './list-params.ts';

const filterNames: Record<FilterKey, string> = {
  status: 'Status',
  type: 'Type',
  platform: 'Platform',
  compliance: 'Compliance',
  creator: 'Created by',
  from: 'Updated from',
  to: 'Updated to',
};

export function FilterBar({
  state,
  platforms,
  onChange,
  onClear,
  rangeError,
}: {
  state: ListState;
  /** Platform slugs to suggest (those seen in the organization's content). */
  platforms: string[];
  onChange: (key: FilterKey, value: string | undefined) => void;
  onClear: () => void;
  rangeError: string | null;
}) {
  const { can, userId } = useSession();
  const users = useOrgUsers();
  const id = useId();
  const { filters } = state;
  const nameOf = (creator: string) => {
    if (creator === userId) return 'me';
    const user = users.data?.find((u) => u.id === creator);
    return user ? userName(user) : `user ${creator.slice(0, 8)}`;
  };
  const valueLabel = (key: FilterKey, value: string) =>
    key === 'status'
      ? statusLabel(value)
      : key === 'type'
        ? typeLabel(value)
        : key === 'compliance'
          ? complianceLabel(value)
          : key === 'creator'
            ? nameOf(value)
            : value;
  const active = Object.entries(filters) as [FilterKey, string][];
  return (
    <div className="filters">
      <fieldset className="filter-controls">
        <legend className="visually-hidden">Filters</legend>
        <label className="filter">
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(e) => onChange('status', e.target.value || undefined)}>
            <option value="">Any (not archived)</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Type</span>
          <select value={filters.type ?? ''} onChange={(e) => onChange('type', e.target.value || undefined)}>
            <option value="">Any</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Compliance</span>
          <select
            value={filters.compliance ?? ''}
            onChange={(e) => onChange('compliance', e.target.value || undefined)}
          >
            <option value="">Any</option>
            {complianceValues.map((c) => (
              <option key={c} value={c}>
                {complianceLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Platform</span>
          <input
            list={`${id}-platforms`}
            defaultValue={filters.platform ?? ''}
            key={filters.platform ?? ''}
            placeholder="e.g. web"
            size={10}
            onBlur={(e) => onChange('platform', e.target.value.trim() || undefined)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onChange('platform', e.currentTarget.value.trim() || undefined);
            }}
          />
          <datalist id={`${id}-platforms`}>
            {platforms.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </label>
        <label className="filter">
          <span>Created by</span>
          <select value={filters.creator ?? ''} onChange={(e) => onChange('creator', e.target.value || undefined)}>
            <option value="">Anyone</option>
            {userId ? <option value={userId}>Me</option> : null}
            {can('users.read')
              ? (users.data ?? [])
                  .filter((u) => u.id !== userId)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {userName(u)}
                    </option>
                  ))
              : null}
            {filters.creator && filters.creator !== userId && !users.data?.some((u) => u.id === filters.creator) ? (
              <option value={filters.creator}>{nameOf(filters.creator)}</option>
            ) : null}
          </select>
        </label>
        <label className="filter">
          <span>Updated from</span>
          <input
            type="date"
            value={filters.from ?? ''}
            max={filters.to}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? `${id}-range` : undefined}
            onChange={(e) => onChange('from', e.target.value || undefined)}
          />
        </label>
        <label className="filter">
          <span>Updated to</span>
          <input
            type="date"
            value={filters.to ?? ''}
            min={filters.from}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? `${id}-range` : undefined}
            onChange={(e) => onChange('to', e.target.value || undefined)}
          />
        </label>
        {userId && filters.creator !== userId ? (
          <button
            type="button"
            className="btn btn-secondary btn-small chip-toggle"
            onClick={() => onChange('creator', userId)}
          >
            Created by me
          </button>
        ) : null}
      </fieldset>
      {rangeError ? (
        <p id={`${id}-range`} className="field-error">
          {rangeError}
        </p>
      ) : null}
      {active.length ? (
        <ul className="chips" aria-label="Filters in force">
          {active.map(([key, value]) => (
            <li key={key} className="chip">
              <span>
                {filterNames[key]}: <strong>{valueLabel(key, value)}</strong>
              </span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter ${filterNames[key]}: ${valueLabel(key, value)}`}
                onClick={() => onChange(key, undefined)}
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
              Clear all filters
            </button>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
