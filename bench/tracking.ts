/**
 * Tracking store benchmark: metric ingestion rate and runs-summary page latency on SQLite.
 *
 *   npm run bench -- tracking            (full size: 1,000,000 points, 100,000 runs)
 *   BENCH_SCALE=0.1 npm run bench -- tracking
 *
 * Prints figures; asserts nothing. The "original" row replays the Python template's way of logging (a
 * connection and a commit per point) on the same machine, side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSettings } from '../src/config.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { RunReader } from '../src/tracking/readers.js';
import { Tracker } from '../src/tracking/tracker.js';
import { fmt, percentile, timeMs } from './stats.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const POINTS = Math.round(1_000_000 * scale);
const BATCH = 10_000;
const RUNS = Math.round(100_000 * scale);
const METRICS_PER_RUN = 10;
const PAGE = 50;

const dir = mkdtempSync(join(tmpdir(), 'balanceops-bench-'));
const settings = loadSettings(
  { BALANCEOPS_DB: join(dir, 'bench.db'), BALANCEOPS_ARTIFACTS: join(dir, 'artifacts') },
  dir,
);
const dbPath = join(dir, 'bench.db');
const store = new SqliteStore(dbPath);
const tracker = new Tracker(store, settings);

async function ingestion(): Promise<void> {
  const run = await tracker.startRun({ kind: 'bench' });
  const keys = ['loss', 'acc', 'bal_acc', 'recall_1', 'lr'];
  const t0 = performance.now();
  for (let start = 0; start < POINTS; start += BATCH) {
    const points = [];
    for (let i = start; i < Math.min(POINTS, start + BATCH); i++) {
      points.push({
        key: keys[i % keys.length] as string,
        value: Math.sin(i),
        step: Math.floor(i / keys.length),
      });
    }
    await run.logMetricPoints(points);
  }
  const ours = POINTS / ((performance.now() - t0) / 1000);
  await run.finish();

  // The original: open a connection, insert one point, commit, close, for every point.
  const sample = Math.max(500, Math.round(3000 * scale));
  const runPk =
    (new Database(dbPath).prepare('SELECT id FROM runs WHERE run_id = ?').pluck().get(run.runId) as number) ??
    0;
  const t1 = performance.now();
  for (let i = 0; i < sample; i++) {
    const con = new Database(dbPath);
    con
      .prepare('INSERT INTO metrics (run_pk, key, value, step, ts) VALUES (?, ?, ?, ?, ?)')
      .run(runPk, 'orig', i, i, Date.now());
    con.close();
  }
  const original = sample / ((performance.now() - t1) / 1000);

  console.log(`\n## Metric ingestion (${fmt(POINTS)} points, batches of ${fmt(BATCH)})`);
  console.log(`balanceops batched   ${fmt(ours)} points/s   (goal >= 300,000)`);
  console.log(`original per-point   ${fmt(original)} points/s   (${fmt(sample)} points)`);
  console.log(`ratio                ${(ours / original).toFixed(0)}x`);
}

async function summaries(): Promise<void> {
  const metricKeys = [
    'acc',
    'bal_acc',
    'recall_1',
    'roc_auc',
    'f1',
    'loss',
    'precision',
    'log_loss',
    'auc_pr',
    'mcc',
  ];
  const t0 = performance.now();
  const base = Date.parse('2025-01-01T00:00:00.000Z');
  for (let i = 0; i < RUNS; i++) {
    const runId = crypto.randomUUID();
    await store.createRun({
      runId,
      createdAt: new Date(base + i * 1000).toISOString(),
      kind: i % 3 === 0 ? 'train_dummy' : 'demo',
      note: i % 10 === 0 ? `note ${i}` : null,
      runDirName: `run_${i}`,
      git: { commit: 'abc', branch: 'main', dirty: i % 7 === 0 },
    });
    await store.logMetrics(
      runId,
      metricKeys.map((key, k) => ({ key, value: ((i * 7919 + k * 104729) % 10007) / 10007 })),
    );
  }
  console.log(
    `\n## Runs summary over ${fmt(RUNS)} runs x ${METRICS_PER_RUN} metrics (seeded in ${fmt((performance.now() - t0) / 1000)} s)`,
  );

  const reader = new RunReader(store, settings);
  const cases: [string, () => Promise<unknown>, string][] = [
    ['newest first, page 1', () => reader.listRuns({ limit: PAGE, includeMetrics: true }), '<= 2 ms'],
    ['newest first, page 1, no metrics', () => reader.listRuns({ limit: PAGE, includeMetrics: false }), ''],
    [
      'newest first, page 1 + total',
      () => reader.listRuns({ limit: PAGE, includeMetrics: true, withTotal: true }),
      '',
    ],
    [
      'sorted by bal_acc desc, page 1',
      () => reader.listRuns({ limit: PAGE, sort: 'metric:bal_acc' }),
      '<= 20 ms',
    ],
    [
      'sorted by roc_auc asc, page 100',
      () => reader.listRuns({ limit: PAGE, offset: 99 * PAGE, sort: 'metric:roc_auc', order: 'asc' }),
      '<= 20 ms',
    ],
    [
      'kind=train_dummy sorted by f1',
      () => reader.listRuns({ limit: PAGE, kind: 'train_dummy', sort: 'metric:f1' }),
      '',
    ],
    [
      'search "note 99" + total',
      () => reader.listRuns({ limit: PAGE, search: 'note 99', withTotal: true }),
      '',
    ],
  ];
  console.log('case                                   median     p95      goal');
  for (const [name, fn, goal] of cases) {
    for (let i = 0; i < 5; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) samples.push(await timeMs(fn));
    console.log(
      `${name.padEnd(38)} ${percentile(samples, 50).toFixed(3).padStart(7)} ms ${percentile(samples, 95).toFixed(3).padStart(7)} ms  ${goal}`,
    );
  }
}

try {
  await ingestion();
  await summaries();
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
