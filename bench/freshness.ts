/**
 * Publish → edge-visible, sampled: the time from a publish response to the first delivery read that
 * returns the new version. Each sample first leaves a tombstone in KV (publish, unpublish), so the new
 * version can only reach the reader through the outbox, the queue and the consumer, never via a miss.
 */
export interface FreshnessInputs {
  url: string;
  managementToken: string;
  deliveryToken: string;
  itemIds: string[];
}

const POLL_MS = 5;
const TIMEOUT_MS = 15_000;

/** The item's current version, as the management API reports it: publishing must name it (If-Match). */
async function currentVersion(inputs: FreshnessInputs, id: string): Promise<number> {
  const res = await fetch(`${inputs.url}/api/v1/content/${id}`, {
    headers: { authorization: `Bearer ${inputs.managementToken}` },
  });
  if (res.status !== 200) throw new Error(`read ${id}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { version: number }).version;
}

/** One workflow action on the version last seen; returns the version it created. */
async function act(
  inputs: FreshnessInputs,
  id: string,
  action: 'publish' | 'unpublish',
  version: number,
): Promise<number> {
  const res = await fetch(`${inputs.url}/api/v1/content/${id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${inputs.managementToken}`, 'if-match': `"${version}"` },
  });
  if (res.status !== 200) throw new Error(`${action} ${id}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { version: number }).version;
}

/** Polls the delivery API until `accept` holds; returns the milliseconds it took. */
async function until(
  inputs: FreshnessInputs,
  id: string,
  accept: (status: number, version: number | undefined) => boolean,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${inputs.url}/delivery/v1/bench/content/${id}`, {
      headers: { authorization: `Bearer ${inputs.deliveryToken}` },
    });
    const version =
      res.status === 200
        ? ((await res.json()) as { version: number }).version
        : await res.arrayBuffer().then(() => undefined);
    if (accept(res.status, version)) return performance.now() - started;
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`item ${id} not as expected within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function sampleFreshness(inputs: FreshnessInputs, samples: number): Promise<number[]> {
  const figures: number[] = [];
  for (const id of inputs.itemIds.slice(0, samples)) {
    const first = await act(inputs, id, 'publish', await currentVersion(inputs, id));
    await until(inputs, id, (status, version) => status === 200 && version === first);
    const unpublished = await act(inputs, id, 'unpublish', first);
    await until(inputs, id, (status) => status === 404);
    const version = await act(inputs, id, 'publish', unpublished);
    figures.push(await until(inputs, id, (status, v) => status === 200 && v === version));
    // Leave the item approved, as found, so the next run can sample it again.
    await act(inputs, id, 'unpublish', version);
  }
  return figures;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
