import type { LoadResult } from './load.ts';

export interface CaseResult extends LoadResult {
  runtime: string;
  name: string;
  note: string;
  ratioToBaseline: number;
  /** The same case at one connection (lean runtime only): a request's own latency, without queueing. */
  alone?: { p50: number; p99: number; errors: number };
}

export interface Target {
  name: string;
  goal: string;
  actual: string;
  met: boolean;
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));

export function renderTable(results: CaseResult[]): string {
  const header = ['runtime', 'case', 'req/s', 'p50 ms', 'p99 ms', 'errors', '× baseline', 'p50 @1 conn'];
  const rows = results.map((r) => [
    r.runtime,
    r.name,
    String(r.rps),
    String(r.p50),
    String(r.p99),
    String(r.errors + r.non2xx),
    r.ratioToBaseline.toFixed(2),
    // autocannon reports whole milliseconds.
    r.alone ? `${r.alone.p50 === 0 ? '< 1' : r.alone.p50}${r.alone.errors ? ` (${r.alone.errors} errors)` : ''}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, i >= 2)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderTargets(targets: Target[]): string {
  return targets.map((t) => `${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.actual} (target ${t.goal})`).join('\n');
}

/** The issue's targets, for the leanest path at the configured connection count. */
export function evaluateTargets(lean: CaseResult[], freshness: { p50: number }, bundleGzipKiB: number): Target[] {
  // A case that failed requests or served none has no figure worth comparing: it misses its target.
  const get = (name: string) => {
    const r = lean.find((c) => c.name === name);
    return r && r.requests > 0 && r.errors + r.non2xx === 0
      ? r
      : r
        ? { ...r, ratioToBaseline: 0, p50: Infinity, p99: Infinity }
        : undefined;
  };
  const targets: Target[] = [];
  const hit = get('delivery hit');
  if (hit) {
    targets.push({
      name: 'delivery hit throughput',
      goal: '≥ 0.90 × baseline',
      actual: `${hit.ratioToBaseline.toFixed(2)} × baseline`,
      met: hit.ratioToBaseline >= 0.9,
    });
    targets.push({ name: 'delivery hit p99', goal: '≤ 10 ms', actual: `${hit.p99} ms`, met: hit.p99 <= 10 });
  }
  const miss = get('delivery miss');
  if (miss)
    targets.push({
      name: 'delivery miss throughput',
      goal: '≥ 0.30 × baseline',
      actual: `${miss.ratioToBaseline.toFixed(2)} × baseline`,
      met: miss.ratioToBaseline >= 0.3,
    });
  const list = get('management list');
  if (list)
    targets.push({
      name: 'management list p50 (100k rows)',
      goal: '≤ 20 ms',
      actual: `${list.p50} ms`,
      met: list.p50 <= 20,
    });
  for (const name of ['create', 'update (If-Match)']) {
    const r = get(name);
    if (r) targets.push({ name: `${name} p50`, goal: '≤ 15 ms', actual: `${r.p50} ms`, met: r.p50 <= 15 });
  }
  targets.push({
    name: 'publish → edge-visible p50',
    goal: '≤ 1000 ms',
    actual: `${Math.round(freshness.p50)} ms`,
    met: freshness.p50 <= 1000,
  });
  targets.push({
    name: 'bundle',
    goal: '≤ 300 KiB gzip',
    actual: `${bundleGzipKiB.toFixed(1)} KiB gzip`,
    met: bundleGzipKiB <= 300,
  });
  return targets;
}
