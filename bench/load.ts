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
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../src/config.js';
import { DummyModel } from '../src/models/dummy.js';
import { ModelRegistry } from '../src/registry/registry.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Tracker } from '../src/tracking/tracker.js';
import { dummyWeights, trainDummy } from '../src/training/train-dummy.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const root = fileURLToPath(new URL('..', import.meta.url));
const features = [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9];

if (spawnSync('wrk', ['--version']).error !== undefined) {
  console.log('bench/load needs wrk (apt-get install wrk)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'balanceops-bench-load-'));
const env = {
  ...process.env,
  BALANCEOPS_DB: join(dir, 'bench.db'),
  BALANCEOPS_ARTIFACTS: join(dir, 'artifacts'),
  BALANCEOPS_CURRENT_MODEL: join(dir, 'artifacts', 'models', 'current.json'),
};
const settings = loadSettings(env, dir);
const store = new SqliteStore(env.BALANCEOPS_DB);
const registry = new ModelRegistry(store, settings, { actor: 'bench-load' });
const tracker = new Tracker(store, settings);
const seeds = [1, 2];
for (const seed of seeds) await trainDummy(tracker, registry, { seed, autoPromote: seed === 1 });
const versions = await store.listVersions('balance_model');

function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const args = [join(root, 'dist', 'cli', 'main.js'), 'serve', '--port', '0', '--log-level', 'warn'];
  if (WORKERS > 1) args.push('--workers', String(WORKERS));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const server = await startServer();
const script = join(dir, 'post.lua');
writeFileSync(
  script,
  `wrk.method = "POST"\nwrk.body = '${JSON.stringify({ features })}'\nwrk.headers["Content-Type"] = "application/json"\n`,
);
const wrk = spawn(
  'wrk',
  [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${DURATION}s`,
    '--latency',
    '--timeout',
    '5s',
    '-s',
    script,
    `${server.url}/predict`,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
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
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
await store.close();
rmSync(dir, { recursive: true, force: true });

const ms = (pct: string) => {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(wrkOut);
  if (m === null) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
};
const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(wrkOut)?.[1] ?? 0);
const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(wrkOut);
const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
const requests = Number(/(\d+) requests in/.exec(wrkOut)?.[1] ?? Number.NaN);

console.log(
  `\n## /predict under load with a promotion every second (${DURATION} s, ${CONNECTIONS} connections, ${WORKERS} worker(s))`,
);
console.log(`requests          ${requests.toLocaleString('en-US')}`);
console.log(`throughput        ${Math.round(requests / DURATION).toLocaleString('en-US')} req/s`);
console.log(`latency p50/p99   ${ms('50').toFixed(2)} ms / ${ms('99').toFixed(2)} ms`);
console.log(
  `errors            ${non2xx + socketErrors} (non-2xx ${non2xx}, socket ${socketErrors})   goal 0`,
);
console.log(`promotions        ${promotions} done, ${promotionErrors} failed`);
console.log(
  `serves the last promoted model afterwards: ${served === expected ? 'yes' : `NO (${served} vs ${expected})`}`,
);
