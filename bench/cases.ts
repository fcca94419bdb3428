import type { LoadSpec } from './load.ts';

export interface BenchCase {
  name: string;
  /** What the figure means, for the table's reader. */
  note: string;
  spec: Omit<LoadSpec, 'url' | 'connections' | 'duration'>;
}

export interface CaseInputs {
  deliveryToken: string;
  managementToken: string;
  hitItemId: string;
  missItemIds: string[];
  updateItems: { id: string; version: number }[];
}

const json = { 'content-type': 'application/json' };

/** The load cases, in table order. Baseline first: every ratio is against it. */
export function benchCases(inputs: CaseInputs): BenchCase[] {
  const delivery = { authorization: `Bearer ${inputs.deliveryToken}` };
  const management = { authorization: `Bearer ${inputs.managementToken}` };
  return [
    { name: 'baseline', note: 'GET /health/live: middleware only, no I/O', spec: { path: '/health/live' } },
    {
      name: 'delivery hit',
      note: 'one published item from KV',
      spec: { path: `/delivery/v1/bench/content/${inputs.hitItemId}`, headers: delivery },
    },
    {
      name: 'delivery list hit',
      note: 'first page (20) from KV',
      spec: { path: '/delivery/v1/bench/content?limit=20', headers: delivery },
    },
    {
      name: 'delivery miss',
      note: 'a different item each request: KV miss → Postgres → fill',
      spec: { path: '/', headers: delivery, paths: inputs.missItemIds.map((id) => `/delivery/v1/bench/content/${id}`) },
    },
    {
      name: 'management list',
      note: 'GET /api/v1/content?status=published&limit=100 of 100k',
      spec: { path: '/api/v1/content?status=published&limit=100', headers: management },
    },
    {
      name: 'create',
      note: 'POST /api/v1/content (row, version, audit, outbox, relay)',
      spec: {
        method: 'POST',
        path: '/api/v1/content',
        headers: { ...management, ...json },
        body: JSON.stringify({
          type: 'market_update',
          title: 'Bench create',
          body: 'Rates held steady; the statement was read as dovish.',
          platforms: ['web'],
        }),
      },
    },
    {
      name: 'update (If-Match)',
      note: 'PUT /api/v1/content/{id} with the current version',
      spec: { path: '/', headers: { ...management, ...json }, updateItems: inputs.updateItems },
    },
  ];
}

/** The subset run under `wrangler dev`, to show what the developer path costs against the lean one. */
export const WRANGLER_DEV_CASES = ['baseline', 'delivery hit', 'delivery list hit', 'management list'];

/** The cases that read from KV: the runner warms their paths first, so they measure hits. */
export const HIT_CASES = ['delivery hit', 'delivery list hit'];
