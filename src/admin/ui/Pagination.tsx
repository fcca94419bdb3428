/** Numbered pages with the total, never infinite scroll: a page is a place you can link to and come back to. */
export function Pagination({
  page,
  totalPages,
  total,
  onPage,
  noun = 'items',
  one,
}: {
  page: number;
  totalPages: number;
  total: number;
  onPage: (page: number) => void;
  /** Plural, as in "12 items". */
  noun?: string;
  /** Singular, as in "1 item"; by default the plural without its final s. */
  one?: string;
}) {
  const pages = pageWindow(page, totalPages);
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted">
        {total} {total === 1 ? (one ?? singular(noun)) : noun}
      </span>
      <button type="button" className="btn btn-ghost" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      {pages.map((p, i) =>
        p === null ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: gaps have no identity
          <span key={`gap${i}`} className="muted">
            …
          </span>
        ) : (
          <button
            key={p}
            type="button"
            className={`btn btn-ghost${p === page ? ' current' : ''}`}
            aria-current={p === page ? 'page' : undefined}
            aria-label={`Page ${p}`}
            onClick={() => onPage(p)}
          >
            {p}
          </button>
        ),
      )}
      <button type="button" className="btn btn-ghost" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function pageWindow(page: number, totalPages: number): (number | null)[] {
  if (totalPages <= 7) return Array.from({ length: totalPages }, (_, i) => i + 1);
  const set = new Set([1, totalPages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= totalPages));
  const sorted = [...set].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && p - last > 1) out.push(null);
    out.push(p);
  }
  return out;
}

function singular(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  if (plural.endsWith('ses')) return plural.slice(0, -2);
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}
