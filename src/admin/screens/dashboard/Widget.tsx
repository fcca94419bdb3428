/**
 * One dashboard card: its own heading, loading skeleton and error-with-retry, so one failing API call
 * leaves the other widgets working.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Link } from 'react-router';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';

export function Widget<T>({
  title,
  query,
  more,
  lines = 4,
  wide,
  children,
}: {
  title: string;
  query: UseQueryResult<T>;
  /** A link to the full list this widget summarises. */
  more?: { to: string; label: string };
  lines?: number;
  wide?: boolean;
  children: (data: T) => ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={`card widget${wide ? ' widget-wide' : ''}`} aria-labelledby={headingId}>
      <header className="widget-header">
        <h2 id={headingId}>{title}</h2>
        {more ? (
          <Link to={more.to} className="small">
            {more.label}
          </Link>
        ) : null}
      </header>
      {query.isPending ? (
        <Skeleton lines={lines} label={`Loading ${title.toLowerCase()}`} />
      ) : query.isError ? (
        <ProblemView error={query.error} onRetry={() => query.refetch()} compact />
      ) : (
        children(query.data)
      )}
    </section>
  );
}

/** A widget's list of items, or what it means that there are none. */
export function ItemList({ empty, children }: { empty: string; children: ReactNode[] }) {
  if (children.length === 0) return <p className="muted widget-empty">{empty}</p>;
  return <ul className="widget-list">{children}</ul>;
}
