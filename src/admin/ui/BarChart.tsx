/**
 * A horizontal bar chart drawn as SVG, no chart library (the dashboard is in the first load). The picture is
 * one role="img" with a summary for screen readers; the same numbers are always available as a table.
 */
import { useId, useState } from 'react';
import './bar-chart.css';

export interface Bar {
  label: string;
  value: number;
  /** Extra columns for the table alternative (e.g. clicks, shares, likes). */
  detail?: Record<string, number>;
}

export function BarChart({
  title,
  bars,
  unit,
  nameColumn = 'Name',
  detailColumns = [],
}: {
  title: string;
  /** The table alternative's first column heading: what each bar is ("Platform", "Item"). */
  nameColumn?: string;
  bars: Bar[];
  /** What the bar length counts, e.g. "views". */
  unit: string;
  detailColumns?: string[];
}) {
  const titleId = useId();
  const [asTable, setAsTable] = useState(false);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 26;
  // Room for the longest label at about 7 units a character, within bounds; longer ones are cut with "…".
  const CHAR = 7;
  const labelChars = Math.min(30, Math.max(6, ...bars.map((b) => b.label.length)));
  const labelWidth = labelChars * CHAR + 12;
  const width = 520;
  const barSpace = width - labelWidth - 60;
  const summary = bars.map((b) => `${b.label}: ${b.value} ${unit}`).join('; ');
  return (
    <figure className="bar-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="bar-chart-caption">
        <span>{title}</span>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          aria-pressed={asTable}
          onClick={() => setAsTable(!asTable)}
        >
          {asTable ? 'Show chart' : 'Show as table'}
        </button>
      </figcaption>
      {asTable ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{nameColumn}</th>
              <th scope="col" className="num">
                {capitalize(unit)}
              </th>
              {detailColumns.map((c) => (
                <th key={c} scope="col" className="num">
                  {capitalize(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td className="num">{b.value}</td>
                {detailColumns.map((c) => (
                  <td key={c} className="num">
                    {b.detail?.[c] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <svg
          role="img"
          aria-label={`${title}. ${summary}`}
          viewBox={`0 0 ${width} ${bars.length * rowHeight + 4}`}
          width="100%"
          preserveAspectRatio="xMinYMin meet"
          className="bar-chart-svg"
        >
          {bars.map((b, i) => {
            const y = i * rowHeight + 2;
            const length = Math.max(2, (b.value / max) * barSpace);
            return (
              <g key={b.label}>
                <title>{`${b.label}: ${b.value} ${unit}`}</title>
                <text x={labelWidth - 8} y={y + 16} textAnchor="end" className="bar-label">
                  {truncate(b.label, labelChars)}
                </text>
                <rect x={labelWidth} y={y + 4} width={length} height={rowHeight - 10} rx={3} className="bar" />
                <text x={labelWidth + length + 6} y={y + 16} className="bar-value">
                  {b.value}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
