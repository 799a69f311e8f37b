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
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadSettings } from '../src/config.js';
import { ModelRegistry } from '../src/registry/registry.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Tracker } from '../src/tracking/tracker.js';
import { trainDummy } from '../src/training/train-dummy.js';
import { fmt, percentile } from './stats.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const root = fileURLToPath(new URL('..', import.meta.url));
const body = JSON.stringify({ features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] });

const dir = mkdtempSync(join(tmpdir(), 'balanceops-bench-predict-'));
const env = {
  ...process.env,
  BALANCEOPS_DB: join(dir, 'bench.db'),
  BALANCEOPS_ARTIFACTS: join(dir, 'artifacts'),
  BALANCEOPS_CURRENT_MODEL: join(dir, 'artifacts', 'models', 'current.json'),
};
const settings = loadSettings(env, dir);
const store = new SqliteStore(env.BALANCEOPS_DB);
await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings));

function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
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

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
const wrkScript = join(dir, 'post.lua');
writeFileSync(
  wrkScript,
  `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\n`,
);

/** wrk's latency lines look like `50%  1.23ms`; units us/ms/s. */
function wrkMs(out: string, pct: string): number {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
  if (m === null) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

async function load(url: string): Promise<LoadResult> {
  if (hasWrk) {
    const run = (seconds: number) =>
      execFileSync(
        'wrk',
        ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', wrkScript, `${url}/predict`],
        {
          encoding: 'utf8',
        },
      );
    run(2); // warm-up: JIT, connection setup
    const out = run(DURATION);
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
      p50: wrkMs(out, '50'),
      p99: wrkMs(out, '99'),
      errors: Number(errors) + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    };
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
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function measure(name: string, args: string[]) {
  const server = await start(args);
  try {
    return { name, ...(await load(server.url)) };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

const ours = ['dist/cli/main.js', 'serve', '--port', '0', '--log-level', 'warn'].map((a, i) =>
  i === 0 ? join(root, a) : a,
);
const oursLogged = [...ours.slice(0, -1), 'info'];
const bare = [join(root, 'bench', 'bare-predict-server.mjs'), settings.currentModelPath];

console.log(
  `\n## POST /predict, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} round(s), 8 features`,
);
console.log(`load generator: ${hasWrk ? 'wrk' : 'autocannon'}`);
const bareRuns: LoadResult[] = [];
const ourRuns: LoadResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bareRuns.push(await measure('bare', bare));
  ourRuns.push(await measure('ours', ours));
}
const logged = await measure('ours+logs', oursLogged);
const best = (rows: LoadResult[]) => rows.reduce((a, b) => (b.rps > a.rps ? b : a));
const b = best(bareRuns);
const o = best(ourRuns);
console.log('server                               req/s     p50 ms   p99 ms   errors');
const row = (label: string, r: LoadResult) =>
  console.log(
    `${label.padEnd(34)} ${fmt(r.rps).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`,
  );
row('bare node:http (same work)', b);
row('balanceops serve', o);
row('balanceops serve, request logs on', logged);
console.log(`ratio ours / bare: ${(o.rps / b.rps).toFixed(2)}   (goal >= 0.6, moonshot 0.8)`);
console.log(`ratio with request logs: ${(logged.rps / b.rps).toFixed(2)}`);

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
console.log('\n## Freshness check per request');
console.log(`change-signal poll (PRAGMA data_version): ${percentile(samples, 50).toFixed(0)} ns`);
console.log(
  `what it replaces, SELECT + model file load + sha256: ${percentile(reloadSamples, 50).toFixed(1)} us`,
);
await signal.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
