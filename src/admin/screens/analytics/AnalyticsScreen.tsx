/**
 * Analytics: reader engagement per platform and the most viewed items, over a window of UTC days kept in
 * the URL (?from=&to=&platform=&limit=) so a view can be shared. Numbers come from the API's rollups.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { BarChart } from '../../ui/BarChart.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProblemView } from '../../ui/ProblemView.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { contentUrl } from '../content-list/list-url.ts';
import './analytics.css';

const PRESETS = [7, 30, 90] as const;
const LIMITS = [10, 25, 50] as const;
const metrics = ['views', 'clicks', 'shares', 'likes'] as const;

/** A UTC calendar day `days` before today, as the API counts days. */
const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

export default function AnalyticsScreen() {
  const { org = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const platform = params.get('platform') ?? undefined;
  const limitParam = Number(params.get('limit'));
  const limit = (LIMITS as readonly number[]).includes(limitParam) ? limitParam : 10;
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(platform ? { platform } : {}), limit };
  const summary = useQuery({
    queryKey: ['analytics-summary', query],
    queryFn: () => api.GET('/api/v1/analytics/summary', { params: { query } }).then(unwrap),
    placeholderData: keepPreviousData,
  });
  const set = (values: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const data = summary.data;
  const totals = Object.fromEntries(
    metrics.map((m) => [m, (data?.platforms ?? []).reduce((sum, p) => sum + p[m], 0)]),
  ) as Record<(typeof metrics)[number], number>;
  const dropped = Object.entries(data?.dropped ?? {}).filter(([, n]) => n > 0);

  return (
    <>
      <PageHeader title="Analytics">
        <p className="muted">
          Reader engagement from the delivery API&rsquo;s events, by UTC day
          {data ? ` · ${data.from} to ${data.to}` : ''}
          {data?.platform ? ` · platform ${data.platform}` : ''}
        </p>
      </PageHeader>
      <fieldset className="analytics-controls">
        <legend className="visually-hidden">Window and filters</legend>
        <div className="row">
          {PRESETS.map((days) => {
            const presetFrom = utcDay(days - 1);
            // The API's default window is the last 30 days, so no `from` means that preset.
            const current = !to && (from ?? utcDay(29)) === presetFrom;
            return (
              <button
                key={days}
                type="button"
                className={`btn btn-ghost btn-small${current ? ' current' : ''}`}
                aria-pressed={current}
                onClick={() => set({ from: days === 30 ? undefined : presetFrom, to: undefined })}
              >
                Last {days} days
              </button>
            );
          })}
        </div>
        <label className="filter">
          <span>From (UTC day)</span>
          <input
            type="date"
            value={from ?? data?.from ?? ''}
            max={to}
            onChange={(e) => set({ from: e.target.value })}
          />
        </label>
        <label className="filter">
          <span>To (UTC day)</span>
          <input type="date" value={to ?? data?.to ?? ''} min={from} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <label className="filter">
          <span>Platform</span>
          <input
            key={platform ?? ''}
            defaultValue={platform ?? ''}
            placeholder="All platforms"
            size={12}
            onBlur={(e) => set({ platform: e.target.value.trim() || undefined })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ platform: e.currentTarget.value.trim() || undefined });
            }}
          />
        </label>
        <label className="filter">
          <span>Top items</span>
          <select value={limit} onChange={(e) => set({ limit: e.target.value === '10' ? undefined : e.target.value })}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {from || to || platform ? (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => set({ from: undefined, to: undefined, platform: undefined })}
          >
            Reset to the last 30 days
          </button>
        ) : null}
      </fieldset>

      {summary.isError ? (
        <ProblemView error={summary.error} onRetry={() => summary.refetch()} />
      ) : !data ? (
        <div className="card">
          <Skeleton lines={8} label="Loading analytics" />
        </div>
      ) : (
        <div
          className={`analytics${summary.isPlaceholderData ? ' list-refreshing' : ''}`}
          aria-busy={summary.isFetching || undefined}
        >
          <ul className="metric-tiles" aria-label="Totals in the window">
            {metrics.map((m) => (
              <li key={m} className="card metric-tile">
                <span className="metric-value">{totals[m].toLocaleString()}</span>
                <span className="muted">{m}</span>
              </li>
            ))}
          </ul>
          {dropped.length ? (
            <p className="notice small">
              Not counted: {dropped.map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`).join(', ')} (events for
              content unknown to the organization or not published).
            </p>
          ) : null}
          {data.platforms.length === 0 ? (
            <div className="card empty-state">
              <p>No reader engagement in this window.</p>
              <p className="small">
                Counts arrive through the delivery API&rsquo;s events endpoint when readers view, click, share or like
                published content.
              </p>
            </div>
          ) : (
            <div className="grid grid-2">
              <section className="card" aria-labelledby="per-platform">
                <h2 id="per-platform">Per platform</h2>
                <BarChart
                  title="Views per platform"
                  nameColumn="Platform"
                  unit="views"
                  detailColumns={['clicks', 'shares', 'likes']}
                  bars={data.platforms.map((p) => ({
                    label: p.platform,
                    value: p.views,
                    detail: { clicks: p.clicks, shares: p.shares, likes: p.likes },
                  }))}
                />
              </section>
              <section className="card" aria-labelledby="top-chart">
                <h2 id="top-chart">Top content</h2>
                <BarChart
                  title={`Views of the top ${Math.min(10, data.top.length)} items`}
                  nameColumn="Item"
                  unit="views"
                  detailColumns={['clicks', 'shares', 'likes']}
                  bars={data.top.slice(0, 10).map((item) => ({
                    label: item.title,
                    value: item.views,
                    detail: { clicks: item.clicks, shares: item.shares, likes: item.likes },
                  }))}
                />
              </section>
            </div>
          )}
          {data.top.length ? (
            <section aria-labelledby="top-table">
              <h2 id="top-table">Most viewed items</h2>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Title</th>
                    {metrics.map((m) => (
                      <th key={m} scope="col" className="num">
                        {m.charAt(0).toUpperCase() + m.slice(1)}
                      </th>
                    ))}
                    <th scope="col">Views by platform</th>
                  </tr>
                </thead>
                <tbody>
                  {data.top.map((item, index) => (
                    <tr key={item.id}>
                      <td className="num">{index + 1}</td>
                      <td>
                        <Link to={contentUrl(org, item.id)}>{item.title}</Link>
                      </td>
                      {metrics.map((m) => (
                        <td key={m} className="num">
                          {item[m].toLocaleString()}
                        </td>
                      ))}
                      <td className="small">
                        {Object.entries(item.byPlatform)
                          .map(([p, counts]) => `${p} ${counts.views.toLocaleString()}`)
                          .join(' · ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </div>
      )}
    </>
  );
}
