/** How much content is in each status and compliance state; every number opens the list it counts. */
import { Link } from 'react-router';
import { statusLabel } from '../../ui/Pill.tsx';
import { contentListUrl } from '../content-list/list-url.ts';
import { useContentCounts } from './dashboard-queries.ts';
import { Widget } from './Widget.tsx';

const statuses = ['draft', 'pending_approval', 'approved', 'published', 'archived'] as const;
const compliance = ['pending', 'flagged', 'rejected', 'approved'] as const;
// Under a "compliance" heading: "Pending" says enough.
const complianceLabel = (value: string) =>
  value === 'approved' ? 'Compliant' : value === 'pending' ? 'Pending' : statusLabel(value);

export function CountsWidget({ org }: { org: string }) {
  const query = useContentCounts();
  return (
    <Widget title="Content" query={query} lines={3} wide more={{ to: contentListUrl(org), label: 'All content' }}>
      {(counts) => (
        <div className="counts">
          <CountGroup
            label="By status"
            items={statuses.map((s) => ({
              key: s,
              label: statusLabel(s),
              context: 'by status',
              value: counts.byStatus[s],
              to: contentListUrl(org, { status: s }),
              tone: `pill-${s}`,
            }))}
          />
          <CountGroup
            label="By compliance (not archived)"
            items={compliance.map((c) => ({
              key: c,
              label: complianceLabel(c),
              context: 'by compliance',
              value: counts.byCompliance[c],
              to: contentListUrl(org, { compliance: c }),
              tone: `pill-compliance-${c}`,
            }))}
          />
        </div>
      )}
    </Widget>
  );
}

interface Count {
  key: string;
  label: string;
  /** Which group the count belongs to, for the link's accessible name ("Approved" is a status and a verdict). */
  context: string;
  value: number;
  to: string;
  tone: string;
}

function CountGroup({ label, items }: { label: string; items: Count[] }) {
  return (
    <div>
      <h3 className="counts-heading">{label}</h3>
      <ul className="count-tiles">
        {items.map((item) => (
          <li key={item.key}>
            {/* The name starts with what the tile shows, in its order (WCAG 2.5.3, label in name). */}
            <Link
              to={item.to}
              className="count-tile"
              aria-label={`${item.value} ${item.label} ${item.value === 1 ? 'item' : 'items'}, ${item.context}`}
            >
              <span className="count-value">{item.value}</span>{' '}
              <span className={`count-label ${item.tone}`}>{item.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
