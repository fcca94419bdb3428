import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import type { Bindings } from '../../../src/config.ts';
import type { FaultPlan, FaultState } from '../../stack/fault-proxy.ts';

export type { FaultPlan, FaultState };

/**
 * The test database reached through the fault proxy (tests/stack/fault-proxy.ts) under a fault id of its
 * own: `bindings` is the DATABASE_URL override that makes a request, queue batch or cron run lose
 * PostgreSQL where `plan` says. Everything else in the suite keeps its database.
 */
export interface FaultyDatabase {
  id: string;
  bindings: Pick<Bindings, 'DATABASE_URL'>;
  /** What the proxy saw for this id: statements that went through, whether (and where) it cut. */
  state(): Promise<FaultState>;
}

async function control(id: string, init?: RequestInit): Promise<FaultState> {
  const res = await fetch(`${inject('faultProxy').controlUrl}/faults/${id}`, init);
  if (!res.ok) throw new Error(`fault proxy control: ${res.status}`);
  return (await res.json()) as FaultState;
}

export async function faultyDatabase(plan: FaultPlan = {}): Promise<FaultyDatabase> {
  const id = crypto.randomUUID().replaceAll('-', '');
  await control(id, { method: 'PUT', body: JSON.stringify(plan) });
  const url = new URL((env as Bindings).DATABASE_URL!);
  url.port = String(inject('faultProxy').port);
  url.searchParams.set('application_name', `fault-${id}`);
  return { id, bindings: { DATABASE_URL: url.toString() }, state: () => control(id) };
}
