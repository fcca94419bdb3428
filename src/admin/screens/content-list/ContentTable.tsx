/** The list's table: sortable column headers (aria-sort), one row per item, the title linking to it. */
import { Link, useNavigate } from 'react-router';
import type { Schemas } from '../../api/client.ts';
import { CompliancePill, Pill } from '../../ui/Pill.tsx';
import { TableSkeleton } from '../../ui/Skeleton.tsx';
import { Time } from '../../ui/Time.tsx';
import { contentUrl } from './list-url.ts';
import { type ListState, type SortField, typeLabel } from './list-params.ts';

type Content = Schemas['Content'];

interface Column {
  label: string;
  sort?: SortField;
  /** The order a first click sorts in. */
  firstOrder?: 'asc' | 'desc';
  className?: string;
}

const columns: Column[] = [
  { label: 'Title', sort: 'title', firstOrder: 'asc' },
  { label: 'Type' },
  { label: 'Status' },
  { label: 'Compliance' },
  { label: 'Score', className: 'num' },
  { label: 'Platforms' },
  { label: 'Scheduled', sort: 'scheduled_at', firstOrder: 'asc' },
  { label: 'Updated', sort: 'updated_at', firstOrder: 'desc' },
];

export function ContentTable({
  org,
  state,
  items,
  loading,
  onSort,
}: {
  org: string;
  state: ListState;
  items: Content[] | undefined;
  loading: boolean;
  onSort: (sort: SortField, order: 'asc' | 'desc') => void;
}) {
  const navigate = useNavigate();
  // Without a sort in the URL the API sorts by created_at, newest first: no visible column is the sort then.
  const sortedBy = state.sort ?? 'created_at';
  const order = state.order ?? 'desc';
  return (
    <table className="data content-table">
      <caption className="visually-hidden">
        Content
        {state.sort
          ? `, sorted by ${state.sort.replace('_at', '').replace('_', ' ')} ${order}ending`
          : ', newest first'}
      </caption>
      <thead>
        <tr>
          {columns.map((column) => {
            const active = column.sort && column.sort === sortedBy;
            return (
              <th
                key={column.label}
                scope="col"
                className={column.className}
                aria-sort={column.sort ? (active ? (order === 'asc' ? 'ascending' : 'descending') : 'none') : undefined}
              >
                {column.sort ? (
                  <button
                    type="button"
                    className="sort"
                    onClick={() => {
                      const next = active ? (order === 'asc' ? 'desc' : 'asc') : (column.firstOrder ?? 'asc');
                      onSort(column.sort!, next);
                    }}
                  >
                    {column.label}
                    <span aria-hidden="true" className="sort-arrow">
                      {active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                    </span>
                  </button>
                ) : (
                  column.label
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      {loading ? (
        <TableSkeleton rows={8} columns={columns.length} />
      ) : (
        <tbody>
          {(items ?? []).map((item) => (
            <tr
              key={item.id}
              className="clickable"
              onClick={(event) => {
                // The title is the link; the rest of the row is a bigger target for the mouse.
                if ((event.target as HTMLElement).closest('a, button')) return;
                navigate(contentUrl(org, item.id));
              }}
            >
              <td className="title-cell">
                <Link to={contentUrl(org, item.id)}>{item.title}</Link>
              </td>
              <td>{typeLabel(item.type)}</td>
              <td>
                <Pill value={item.status} />
              </td>
              <td>
                <CompliancePill value={item.complianceStatus} />
              </td>
              <td className="num">
                {item.qualityScore === null ? <span className="muted">—</span> : item.qualityScore.toFixed(1)}
              </td>
              <td>
                <span className="platforms">
                  {item.platforms.map((p) => (
                    <span key={p} className="platform-tag">
                      {p}
                    </span>
                  ))}
                </span>
              </td>
              <td className="time-cell">
                <Time iso={item.scheduledAt} />
                {item.scheduleError ? <span className="schedule-failed">Failed: {item.scheduleError}</span> : null}
              </td>
              <td className="time-cell">
                <Time iso={item.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      )}
    </table>
  );
}
