/**
 * Load with churn: 64 connections against POST /predict for 60 s while another process promotes a
 * different model every second. Prints the error count (goal 0), p50/p99 latency and throughput, and
 * checks afterwards that the server serves the model promoted last.
 *
 *   npm run build && npm run bench -- load
 *   BENCH_DURATION=20 BENCH_WORKERS=2 npm run bench -- load      (serve --workers 2)
 *
 * Needs wrk (apt-get install wrk) for the load; prints figures, asserts nothing.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DummyModel } from '../src/models/dummy.js';
import { ModelRegistry } from '../src/registry/registry.js';
import { Tracker } from '../src/tracking/tracker.js';
import { dummyWeights, trainDummy } from '../src/training/train-dummy.js';
import {
  benchSandbox,
  hasWrk,
  parseWrk,
  pinned,
  startServerProcess,
  stopProcess,
  wrkPostScript,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const root = fileURLToPath(new URL('..', import.meta.url));
const features = [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9];

if (!hasWrk) {
  console.log('bench/load needs wrk (apt-get install wrk)');
  process.exit(0);
}

const sandbox = benchSandbox('balanceops-bench-load-');
const { store, settings } = sandbox;
const registry = new ModelRegistry(store, settings, { actor: 'bench-load' });
const tracker = new Tracker(store, settings);
const seeds = [1, 2];
for (const seed of seeds) await trainDummy(tracker, registry, { seed, autoPromote: seed === 1 });
const versions = await store.listVersions('balance_model');

const args = [join(root, 'dist', 'cli', 'main.js'), 'serve', '--port', '0', '--log-level', 'warn'];
if (WORKERS > 1) args.push('--workers', String(WORKERS));
const server = await startServerProcess(args, sandbox);
const script = wrkPostScript(sandbox.dir, JSON.stringify({ features }));
const wrk = spawn(
  ...pinned('load', 'wrk', [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${DURATION}s`,
    '--latency',
    '--timeout',
    '5s',
    '-s',
    script,
    `${server.url}/predict`,
  ]),
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let wrkOut = '';
wrk.stdout.on('data', (d: Buffer) => {
  wrkOut += d.toString();
});
const wrkDone = new Promise<void>((r) => wrk.once('exit', () => r()));

let promotions = 0;
let promotionErrors = 0;
let last = versions.find((v) => v.version === 1);
const churn = setInterval(() => {
  const target = versions[promotions % versions.length];
  if (target === undefined) return;
  registry.promote(target, { reason: `bench churn ${promotions}` }).then(
    () => {
      last = target;
      promotions++;
    },
    () => {
      promotionErrors++;
    },
  );
}, 1000);
await wrkDone;
clearInterval(churn);
await new Promise((r) => setTimeout(r, 200));

// The server must now serve the model promoted last.
const res = await fetch(`${server.url}/predict`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ features }),
});
const served = ((await res.json()) as { p_win: number }).p_win;
const seed = seeds[(last?.version ?? 1) - 1] ?? 1;
const { weights, bias } = dummyWeights(seed, 8);
const expected = new DummyModel(weights, bias).predictOne(features);
await stopProcess(server.child);
await sandbox.dispose();

const r = parseWrk(wrkOut);
console.log(
  `\n## /predict under load with a promotion every second (${DURATION} s, ${CONNECTIONS} connections, ${WORKERS} worker(s))`,
);
console.log(`requests          ${r.requests.toLocaleString('en-US')}`);
console.log(`throughput        ${Math.round(r.requests / DURATION).toLocaleString('en-US')} req/s`);
console.log(`latency p50/p99   ${r.p50.toFixed(2)} ms / ${r.p99.toFixed(2)} ms`);
console.log(`errors            ${r.errors}   goal 0`);
console.log(`promotions        ${promotions} done, ${promotionErrors} failed`);
console.log(
  `serves the last promoted model afterwards: ${served === expected ? 'yes' : `NO (${served} vs ${expected})`}`,
);
