import { seedUuid } from '../scripts/local/seed-ids.ts';

/** The benchmark's own tenant, apart from demo and globex so `npm run dev` data is never touched. */
export const BENCH_ORG = { id: seedUuid('org:bench'), slug: 'bench', name: 'Bench Markets' } as const;
export const benchUserId = (role: 'org_admin' | 'editor' | 'approver') => seedUuid(`user:bench:${role}`);
export const benchUserEmail = (role: string) => `${role.replace('_', '-')}@bench.example.com`;

/** Deterministic ids from md5, with the version and variant bits of an RFC 9562 UUID (the API validates them). */
export const benchContentSql = (i: string) =>
  `overlay(overlay(md5('bench-content:' || ${i}) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * The mix of states: 55 % published (what delivery reads), the rest spread over the workflow so the
 * management list's status filter has a realistic share to select from.
 */
export const STATUS_SHARES = [
  { status: 'published', upTo: 11 },
  { status: 'draft', upTo: 15 },
  { status: 'pending_approval', upTo: 17 },
  { status: 'approved', upTo: 19 },
  { status: 'archived', upTo: 20 },
] as const;

export interface BenchOptions {
  quick: boolean;
  items: number;
  /** Seconds per load case. */
  duration: number;
  connections: number;
  freshnessSamples: number;
  /** Compare with `wrangler dev` as well as the lean path. */
  wranglerDev: boolean;
  /**
   * Run only the cases with these names (`--only=baseline,create`); all when empty. `scoring` is the quality
   * scorer's section, which needs no server: `--only=scoring` runs that alone.
   */
  only: string[];
  /**
   * Seed, build and warm, then keep the lean runtime up and print its URL and tokens instead of running
   * the cases: for profiling one case by hand (autocannon, `top`, EXPLAIN) against the same setup.
   */
  serve: boolean;
  /** `--profile=<case>`: run that one case with a CPU profile of the Worker (bench/profile.ts). */
  profile: string | undefined;
}

export function benchOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    quick,
    // Quick runs seed a tenth, so a fresh database still finishes within a minute; a seeded one is reused.
    items: Number(value('items') ?? (quick ? 10_000 : 100_000)),
    duration: Number(value('duration') ?? (quick ? 2 : 10)),
    connections: Number(value('connections') ?? 50),
    freshnessSamples: Number(value('samples') ?? (quick ? 3 : 20)),
    wranglerDev: !quick && !argv.includes('--no-wrangler-dev'),
    only: (value('only') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    serve: argv.includes('--serve'),
    profile: value('profile'),
  };
}
