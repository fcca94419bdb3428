/**
 * `npm run bench -- --profile=<case>`: a V8 CPU profile of the Worker while one case runs, through
 * workerd's inspector (Chrome DevTools protocol), summarized by function and by module of the bundle.
 *
 * The profiled bundle is built without minification so that function names are real and esbuild's
 * `// src/…` / `// node_modules/…` comments say which module each line came from. The .cpuprofile is
 * written next to the results and opens in Chrome DevTools or speedscope.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface InspectorTarget {
  id: string;
  webSocketDebuggerUrl: string;
}

/**
 * Every isolate workerd runs for Miniflare: the user Worker is `core:user:<name>` (an empty name here);
 * the others are the emulator's own (outbound:0 carries every subrequest; kv and queue services, cache).
 */
async function inspectorTargets(inspectorPort: number): Promise<InspectorTarget[]> {
  return (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as InspectorTarget[];
}

/** A DevTools protocol session on one isolate. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** Profiles the user Worker's isolate while `work` runs. */
export async function profileWhile<T>(
  inspectorPort: number,
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> {
  const target = (await inspectorTargets(inspectorPort)).find((t) => t.id.startsWith('core:user:'));
  if (!target) throw new Error(`no user Worker among the inspector targets on port ${inspectorPort}`);
  const session = await connect(target.webSocketDebuggerUrl);
  try {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 200 });
    await session.send('Profiler.start');
    const result = await work();
    const { profile } = (await session.send('Profiler.stop')) as { profile: CpuProfile };
    return { result, profile };
  } finally {
    session.close();
  }
}

/** Which module of the bundle a line belongs to, from esbuild's `// path` comments (unminified output). */
function moduleIndex(bundlePath: string): (line: number) => string {
  const starts: Array<{ line: number; module: string }> = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^\/\/ ((?:src|node_modules|\.\.\/)[^\s]*)$/.exec(text);
      if (match) starts.push({ line, module: match[1]! });
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Packages as one entry (node_modules/zod/…), our own files as themselves. */
const packageOf = (module: string) => module.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? module;

export function summarizeProfile(profile: CpuProfile, bundlePath: string, top = 15): string {
  const moduleOf = moduleIndex(bundlePath);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    selfMs.set(node, (selfMs.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const inBundle = url.endsWith('.js') && !url.startsWith('node:') && !url.includes('cloudflare-internal');
    const source = inBundle ? moduleOf(lineNumber) : undefined;
    const module = source
      ? packageOf(source)
      : functionName.startsWith('(')
        ? functionName
        : `(runtime) ${url || 'native'}`;
    const name = `${functionName || '(anonymous)'}  ${source ? `${source}:${lineNumber + 1}` : url || ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
  }
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, ms]) => `  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`,
      )
      .join('\n');
  return (
    `CPU in the Worker's isolate: ${total.toFixed(0)} ms sampled over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} ` +
    `s\n\nself time by module:\n${rows(byModule)}\n\nself time by function:\n${rows(byFunction)}`
  );
}
