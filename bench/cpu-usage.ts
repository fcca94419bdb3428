import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a case, from /proc (Linux): workerd, this process (the local
 * WebSocket proxy and Upstash endpoint), PostgreSQL, Redis, and the rest (mostly the load generator).
 * Everything shares the same cores, so this is what a case really costs, not only the Worker's part.
 */
const TICKS_PER_SECOND = 100;
/** Not measured per process: what the machine spent minus the groups above (processes gone by then too). */
const OTHER = 'other (load generator, system)';

interface Snapshot {
  /** Busy ticks of the whole machine (all cores). */
  machine: number;
  byGroup: Map<string, number>;
}

function group(pid: number, comm: string): string {
  if (comm === 'workerd') return 'workerd';
  if (pid === process.pid) return 'node: ws proxy + upstash endpoint';
  if (comm === 'postgres') return 'postgres';
  if (comm.startsWith('redis')) return 'redis';
  return OTHER;
}

export function cpuSnapshot(): Snapshot {
  const [cpuLine] = readFileSync('/proc/stat', 'utf8').split('\n');
  const fields = cpuLine!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const machine = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  const byGroup = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command.
      const ticks = Number(rest[11]) + Number(rest[12]);
      const name = group(Number(entry), comm);
      byGroup.set(name, (byGroup.get(name) ?? 0) + ticks);
    } catch {
      // Gone between listing and reading.
    }
  }
  return { machine, byGroup };
}

/** CPU seconds per group between two snapshots, the remainder as "other". */
export function cpuBetween(before: Snapshot, after: Snapshot): Array<{ name: string; seconds: number }> {
  const rows: Array<{ name: string; seconds: number }> = [];
  let accounted = 0;
  for (const [name, ticks] of after.byGroup) {
    if (name === OTHER) continue;
    const delta = Math.max(0, ticks - (before.byGroup.get(name) ?? 0));
    accounted += delta;
    rows.push({ name, seconds: delta / TICKS_PER_SECOND });
  }
  rows.push({ name: OTHER, seconds: Math.max(0, after.machine - before.machine - accounted) / TICKS_PER_SECOND });
  return rows.sort((a, b) => b.seconds - a.seconds);
}
