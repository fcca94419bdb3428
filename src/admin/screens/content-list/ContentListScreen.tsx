/**
 * Content: the organization's items as a table with facet filters, sortable columns and numbered pages,
 * all kept in the URL. Search arrives with the search issue.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pagination } from '../../ui/Pagination.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { ContentTable } from './ContentTable.tsx';
import { FilterBar } from './FilterBar.tsx';
import {
  type FilterKey,
  filterKeys,
  hasFilters,
  PAGE_SIZES,
  readState,
  type SortField,
  toQuery,
} from './list-params.ts';
import './content-list.css';

export default function ContentListScreen() {
  const { org = '' } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const state = readState(params);
  const { from, to } = state.filters;
  const rangeError = from && to && from > to ? '“Updated from” must not be after “Updated to”.' : null;
  const query = toQuery(state);
  const list = useQuery({
    queryKey: ['content', query],
    queryFn: () => api.GET('/api/v1/content', { params: { query } }).then(unwrap),
    enabled: !rangeError,
    // Keep the rows on screen while the next page or sort loads, instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });

  const update = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    setParams(next);
  };
  const setFilter = (key: FilterKey, value: string | undefined) =>
    update((next) => {
      if (value) next.set(key, value);
      else next.delete(key);
      next.delete('page');
    });
  const clearFilters = () =>
    update((next) => {
      for (const key of filterKeys) next.delete(key);
      next.delete('page');
    });
  const setSort = (sort: SortField, order: 'asc' | 'desc') =>
    update((next) => {
      next.set('sort', sort);
      next.set('order', order);
      next.delete('page');
    });
  const setPage = (page: number) =>
    update((next) => {
      if (page > 1) next.set('page', String(page));
      else next.delete('page');
    });

  // Platforms seen on this page, as suggestions for the platform filter.
  const platforms = useMemo(
    () => [...new Set((list.data?.data ?? []).flatMap((item) => item.platforms))].sort(),
    [list.data],
  );
  const newContent = can('content.create') ? (
    <Link className="btn btn-primary" to={`/o/${org}/content/new`}>
      New content
    </Link>
  ) : null;
  const filtered = hasFilters(state);

  return (
    <>
      <PageHeader title="Content" actions={newContent}>
        <p className="muted" aria-live="polite">
          {list.data
            ? `${list.data.total} ${list.data.total === 1 ? 'item' : 'items'}${filtered ? ' match these filters' : ''}`
            : '\u00a0'}
        </p>
      </PageHeader>
      <FilterBar
        state={state}
        platforms={platforms}
        onChange={setFilter}
        onClear={clearFilters}
        rangeError={rangeError}
      />
      {list.isError ? (
        <ProblemView error={list.error} onRetry={() => list.refetch()} />
      ) : rangeError ? null : list.data && list.data.total === 0 && list.data.page === 1 ? (
        <div className="card empty-state">
          {filtered ? (
            <>
              <p>No content matches these filters.</p>
              <button type="button" className="btn btn-secondary" onClick={clearFilters}>
                Show all content
              </button>
            </>
          ) : (
            <>
              <p>There is no content yet.</p>
              {newContent ?? <p className="small">Editors create content; your role reads it.</p>}
            </>
          )}
        </div>
      ) : list.data && list.data.data.length === 0 && list.data.total > 0 ? (
        <div className="card empty-state">
          <p>
            Page {list.data.page} is past the end: there{' '}
            {list.data.totalPages === 1 ? 'is 1 page' : `are ${list.data.totalPages} pages`}.
          </p>
          <button type="button" className="btn btn-secondary" onClick={() => setPage(1)}>
            Go to page 1
          </button>
        </div>
      ) : (
        <div
          className={list.isPlaceholderData ? 'list-refreshing' : undefined}
          aria-busy={list.isFetching || undefined}
        >
          <ContentTable org={org} state={state} items={list.data?.data} loading={list.isPending} onSort={setSort} />
          {list.data ? (
            <div className="list-footer">
              <label className="page-size">
                <span>Per page</span>
                <select
                  value={state.limit}
                  onChange={(e) =>
                    update((next) => {
                      next.set('limit', e.target.value);
                      next.delete('page');
                    })
                  }
                >
                  {PAGE_SIZES.map((size) => (
                    <option key={size} value={size}>
                      {size}
                    </option>
                  ))}
                </select>
              </label>
              <Pagination
                page={list.data.page}
                totalPages={list.data.totalPages}
                total={list.data.total}
                onPage={setPage}
              />
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}
