/** Reader engagement of the last 30 days: views per platform as a chart, and the most viewed items. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { BarChart } from '../../ui/BarChart.tsx';
import { contentUrl } from '../content-list/list-url.ts';
import { ItemList, Widget } from './Widget.tsx';

export function EngagementWidget({ org }: { org: string }) {
  const query = useQuery({
    queryKey: ['analytics-summary', 'dashboard'],
    queryFn: () => api.GET('/api/v1/analytics/summary', { params: { query: { limit: 5 } } }).then(unwrap),
  });
  return (
    <Widget
      title="Engagement, last 30 days"
      query={query}
      lines={6}
      wide
      more={{ to: `/o/${org}/analytics`, label: 'Analytics' }}
    >
      {(summary) =>
        summary.platforms.length === 0 ? (
          <p className="muted widget-empty">
            No reader engagement between {summary.from} and {summary.to} (UTC days). Counts arrive through the delivery
            API&rsquo;s events endpoint.
          </p>
        ) : (
          <div className="engagement">
            <BarChart
              title="Views per platform"
              nameColumn="Platform"
              unit="views"
              detailColumns={['clicks', 'shares', 'likes']}
              bars={summary.platforms.map((p) => ({
                label: p.platform,
                value: p.views,
                detail: { clicks: p.clicks, shares: p.shares, likes: p.likes },
              }))}
            />
            <div>
              <h3 className="counts-heading">Top content by views</h3>
              <ItemList empty="No item was read in this window.">
                {summary.top.map((item) => (
                  <li key={item.id} className="widget-item">
                    <div className="widget-item-main">
                      <Link to={contentUrl(org, item.id)}>{item.title}</Link>
                      <span className="small muted">
                        {item.views} views · {item.clicks} clicks · {item.shares} shares · {item.likes} likes
                      </span>
                    </div>
                  </li>
                ))}
              </ItemList>
            </div>
          </div>
        )
      }
    </Widget>
  );
}
