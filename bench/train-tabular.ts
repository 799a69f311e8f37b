/**
 * Tabular baseline benchmark: load rate of the streaming CSV loader and fit time of standard scaler +
 * logistic regression, on a synthetic 1,000,000 x 20 CSV; side by side with scikit-learn's StandardScaler +
 * LogisticRegression(lbfgs) on the same file when /usr/bin/python3 has it.
 *
 *   npm run bench -- train-tabular            (full size: 1,000,000 rows x 20 features)
 *   BENCH_SCALE=0.1 npm run bench -- train-tabular
 *
 * Prints figures; asserts nothing. Python interpreter: BALANCEOPS_SKLEARN_PYTHON (default /usr/bin/python3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/training/datasets/registry.js';
import { parseDatasetSpec } from '../src/training/datasets/spec.js';
import { fitLogistic, type LogisticOptions } from '../src/training/logistic.js';
import { fitScaler, standardizeInPlace } from '../src/training/scaler.js';
import { Rng } from '../src/util/random.js';
import { fmt } from './stats.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const ROWS = Math.max(1000, Math.round(1_000_000 * scale));
const FEATURES = 20;
const PYTHON = process.env.BALANCEOPS_SKLEARN_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../test/fixtures/sklearn_baseline.py', import.meta.url));

/** Features of different scales and offsets (so scaling matters), labels from a known logistic rule. */
async function writeCsv(path: string): Promise<void> {
  const rng = new Rng(2026);
  const weights = Array.from({ length: FEATURES }, (_, j) => ((j % 5) - 2) * 0.35);
  const out = createWriteStream(path);
  const header = [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'y'].join(',');
  let buffer = `${header}\n`;
  for (let i = 0; i < ROWS; i++) {
    let z = 0.2;
    const cells: string[] = [];
    for (let j = 0; j < FEATURES; j++) {
      const standard = rng.normal();
      z += standard * (weights[j] as number);
      cells.push((standard * (1 + j * 3) + j * 10).toFixed(6));
    }
    cells.push(String(rng.bernoulli(1 / (1 + Math.exp(-z)))));
    buffer += `${cells.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function sklearnAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

const dir = mkdtempSync(join(tmpdir(), 'balanceops-bench-tabular-'));
try {
  const csv = join(dir, 'synthetic.csv');
  const t0 = performance.now();
  await writeCsv(csv);
  const bytes = statSync(csv).size;
  console.log(
    `\n## Synthetic CSV: ${fmt(ROWS)} rows x ${FEATURES} features, ${fmt(bytes / 1e6)} MB (written in ${fmt((performance.now() - t0) / 1000)} s)`,
  );

  const t1 = performance.now();
  const data = await loadDataset(
    parseDatasetSpec({ kind: 'csv', params: { path: csv, target_col: 'y' } }, null),
    {
      cwd: dir,
    },
  );
  const loadSeconds = (performance.now() - t1) / 1000;
  console.log('\n## Load (csv-parse stream -> typed arrays, sha256 on the way)');
  console.log(
    `rows/s               ${fmt(data.nRows / loadSeconds)}   (${fmt(loadSeconds)} s, ${fmt(bytes / 1e6 / loadSeconds)} MB/s)`,
  );

  const t2 = performance.now();
  const stats = fitScaler(data.x, data.nRows, data.nFeatures);
  standardizeInPlace(data.x, data.nRows, data.nFeatures, stats);
  const scalerSeconds = (performance.now() - t2) / 1000;
  // compile the hot loops before timing anything
  fitLogistic(data.x.subarray(0, 10_000 * data.nFeatures), data.y.subarray(0, 10_000), data.nFeatures);
  const variants: [string, LogisticOptions][] = [
    ['auto', {}],
    ['newton', { solver: 'newton' }],
    ['lbfgs', { solver: 'lbfgs' }],
    ['newton, cold start', { solver: 'newton', warmStart: false }],
    ['lbfgs, cold start', { solver: 'lbfgs', warmStart: false }],
  ];
  const fits = variants.map(([label, options]) => {
    const start = performance.now();
    const fit = fitLogistic(data.x, data.y, data.nFeatures, options);
    return { label, fit, seconds: (performance.now() - start) / 1000 };
  });
  console.log(`\n## Fit on all ${fmt(data.nRows)} rows (C = 1, to a gradient of 1e-8)`);
  console.log(`standard scaler      ${fmt(scalerSeconds)} s`);
  for (const { label, fit, seconds } of fits) {
    const warm =
      fit.warmStart === null
        ? ''
        : ` after ${fit.warmStart.iterations} on a ${fmt(fit.warmStart.rows)}-row sample`;
    console.log(
      `${(label === 'auto' ? `auto (${fit.solver})` : label).padEnd(20)} ${fmt(seconds)} s   ${fit.iterations} iterations${warm}, converged ${fit.converged}, gradient ${fit.gradNorm.toExponential(1)}`,
    );
  }
  const auto = fits[0] as (typeof fits)[0];
  const ours = scalerSeconds + auto.seconds;
  console.log(`ours, scaler + auto  ${fmt(ours)} s`);

  if (!sklearnAvailable()) {
    console.log(`\nscikit-learn: skipped (${PYTHON} cannot import sklearn)`);
  } else {
    const result = JSON.parse(
      execFileSync(PYTHON, [SCRIPT, 'fit', csv, 'y'], { encoding: 'utf8', maxBuffer: 1 << 26 }),
    );
    const theirs = (result.scale_seconds as number) + (result.fit_seconds as number);
    console.log(
      `\n## scikit-learn StandardScaler + LogisticRegression(lbfgs, tol 1e-4, max_iter 1000), same file`,
    );
    console.log(`standard scaler      ${fmt(result.scale_seconds)} s`);
    console.log(`lbfgs                ${fmt(result.fit_seconds)} s   ${result.n_iter} iterations`);
    console.log(`scikit-learn total   ${fmt(theirs)} s`);
    console.log(`ratio ours/sklearn   ${(ours / theirs).toFixed(2)}x   (goal <= 2x)`);
    console.log(
      `solver alone         ${(auto.seconds / (result.fit_seconds as number)).toFixed(2)}x   (ours to a gradient of 1e-8, theirs to lbfgs' default stop)`,
    );
    const coefDiff = Math.max(
      ...(result.coef as number[]).map((c, j) => Math.abs(c - (auto.fit.coef[j] as number))),
    );
    console.log(
      `max |coef diff|      ${coefDiff.toExponential(2)}   (scikit-learn's lbfgs stops on a relative change of the objective)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
