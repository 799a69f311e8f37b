/**
 * POST /predict throughput: `balanceops serve` against bare node:http doing the same work, side by side in
 * one run. The load generator is wrk when installed (C, so it leaves more CPU to the servers on a small
 * machine), else autocannon. Also the cost of the per-request freshness check.
 *
 *   npm run build && npm run bench -- predict
 *   BENCH_DURATION=5 BENCH_ROUNDS=1 BENCH_CONNECTIONS=64 npm run bench -- predict
 *
 * Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ModelRegistry } from '../src/registry/registry.js';
import { Tracker } from '../src/tracking/tracker.js';
import { trainDummy } from '../src/training/train-dummy.js';
import { fmt, percentile } from './stats.js';
import {
  benchSandbox,
  hasWrk,
  parseWrk,
  pinned,
  pinning,
  startServerProcess,
  stopProcess,
  type WrkResult,
  wrkPostScript,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const root = fileURLToPath(new URL('..', import.meta.url));
const body = JSON.stringify({ features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] });

const sandbox = benchSandbox('balanceops-bench-predict-');
const { store, settings } = sandbox;
await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings));
const script = wrkPostScript(sandbox.dir, body);

async function load(url: string): Promise<WrkResult> {
  if (hasWrk) {
    const run = (seconds: number) =>
      execFileSync(
        ...pinned('load', 'wrk', [
          '-t1',
          `-c${CONNECTIONS}`,
          `-d${seconds}s`,
          '--latency',
          '-s',
          script,
          `${url}/predict`,
        ]),
        {
          encoding: 'utf8',
        },
      );
    run(2); // warm-up: JIT, connection setup
    return parseWrk(run(DURATION));
  }
  const opts = {
    url: `${url}/predict`,
    method: 'POST' as const,
    body,
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
  };
  await autocannon({ ...opts, duration: 2 });
  const r = await autocannon({ ...opts, duration: DURATION });
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

async function measure(args: string[]): Promise<WrkResult> {
  const server = await startServerProcess(args, sandbox);
  try {
    return await load(server.url);
  } finally {
    await stopProcess(server.child);
  }
}

const ours = [join(root, 'dist', 'cli', 'main.js'), 'serve', '--port', '0', '--log-level', 'warn'];
const oursLogged = [...ours.slice(0, -1), 'info'];
const bare = [join(root, 'bench', 'bare-predict-server.mjs'), settings.currentModelPath];

console.log(
  `\n## POST /predict, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} round(s), 8 features`,
);
console.log(`load generator: ${hasWrk ? 'wrk' : 'autocannon'}; pinning: ${pinning}`);
const bareRuns: WrkResult[] = [];
const ourRuns: WrkResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bareRuns.push(await measure(bare));
  ourRuns.push(await measure(ours));
}
const logged = await measure(oursLogged);
// Rounds alternate bare and ours, so machine noise hits both; the ratio is taken per round.
const ratios = ourRuns.map((o, i) => o.rps / (bareRuns[i]?.rps ?? Number.NaN));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mid = (rows: WrkResult[]) =>
  [...rows].sort((a, b) => a.rps - b.rps)[Math.floor(rows.length / 2)] as WrkResult;
console.log('server                               req/s     p50 ms   p99 ms   errors   (median of rounds)');
const row = (label: string, r: WrkResult) =>
  console.log(
    `${label.padEnd(34)} ${fmt(r.rps).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`,
  );
row('bare node:http (same work)', mid(bareRuns));
row('balanceops serve', mid(ourRuns));
row('balanceops serve, request logs on', logged);
console.log(
  `ratio ours / bare per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}   (goal >= 0.6, moonshot 0.8)`,
);
console.log(`ratio with request logs: ${(logged.rps / mid(bareRuns).rps).toFixed(2)}`);

// The per-request freshness check: one poll of the change signal, against what it replaces.
const signal = await store.openChangeSignal();
const registry = new ModelRegistry(store, settings);
const N = 200_000;
const samples: number[] = [];
for (let round = 0; round < 5; round++) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) signal.poll();
  samples.push(((performance.now() - t0) * 1e6) / N);
}
const reloadSamples: number[] = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  await registry.loadCurrent();
  reloadSamples.push((performance.now() - t0) * 1000);
}
console.log('\n## Freshness check');
console.log(
  `change-signal poll (PRAGMA data_version), at most once per event-loop turn: ${percentile(samples, 50).toFixed(0)} ns`,
);
console.log(
  `what it replaces, SELECT + model file load + sha256: ${percentile(reloadSamples, 50).toFixed(1)} us`,
);
await signal.close();
await sandbox.dispose();
