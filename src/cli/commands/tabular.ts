import { type Command, InvalidArgumentError } from 'commander';
import { loadPolicy } from '../../registry/policy.js';
import { Tracker } from '../../tracking/tracker.js';
import {
  type DatasetSpec,
  MAX_SEED,
  parseDatasetSpec,
  readDatasetSpec,
} from '../../training/datasets/spec.js';
import {
  DEFAULT_SEED,
  DEFAULT_TEST_SIZE,
  type FittedTabular,
  fitTabular,
  recordTabular,
  type TabularTrainResultJson,
  type TrainProgress,
} from '../../training/train-tabular.js';
import { action, type CliContext, intOption, usageError } from '../context.js';
import { megabytes, ProgressBar } from '../progress.js';
import { openRegistry, trainLines } from './registry.js';

interface TabularOptions {
  datasetSpec?: string;
  csvPath?: string;
  targetCol?: string;
  featureCols?: string;
  datasetName?: string;
  sep: string;
  oneHot: boolean;
  dropna: boolean;
  seed?: number;
  testSize?: number;
  autoPromote: boolean;
  policy?: string;
}

/** `--test-size`: a share strictly between 0 and 1. */
function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1))
    throw new InvalidArgumentError('expected a number between 0 and 1.');
  return n;
}

/** Options that describe the CSV itself: given with `--csv-path`, written in the file with `--dataset-spec`. */
const CSV_OPTIONS: [keyof TabularOptions, string][] = [
  ['csvPath', '--csv-path'],
  ['targetCol', '--target-col'],
  ['featureCols', '--feature-cols'],
  ['datasetName', '--dataset-name'],
  ['sep', '--sep'],
  ['oneHot', '--no-one-hot'],
  ['dropna', '--no-dropna'],
];

function datasetSpec(ctx: CliContext, command: Command, opts: TabularOptions): DatasetSpec {
  if (opts.datasetSpec !== undefined) {
    const clashing = CSV_OPTIONS.filter(([key]) => command.getOptionValueSource(key) === 'cli').map(
      ([, flag]) => flag,
    );
    if (clashing.length > 0)
      throw usageError(
        `${clashing.join(', ')} cannot be combined with --dataset-spec (the spec file sets them)`,
      );
    return readDatasetSpec(opts.datasetSpec, ctx.settings.cwd);
  }
  if (opts.csvPath === undefined || opts.targetCol === undefined)
    throw usageError('give --dataset-spec FILE, or --csv-path PATH with --target-col COLUMN');
  const featureCols = opts.featureCols
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return parseDatasetSpec(
    {
      kind: 'csv',
      name: opts.datasetName,
      params: {
        path: opts.csvPath,
        target_col: opts.targetCol,
        ...(featureCols === undefined ? {} : { feature_cols: featureCols }),
        one_hot: opts.oneHot,
        dropna: opts.dropna,
        // a shell passes `\t` through as two characters; it means a tab
        sep: opts.sep === '\\t' ? '\t' : opts.sep,
      },
    },
    null,
  );
}

/** Draws loading and fitting progress on stderr (terminal only, never with --json). */
function progressReporter(ctx: CliContext): { report: (p: TrainProgress) => void; bar: ProgressBar } {
  const bar = new ProgressBar(process.stderr, !ctx.json);
  const report = (p: TrainProgress) => {
    if (p.phase === 'load') {
      const fraction = p.totalBytes > 0 ? p.bytes / p.totalBytes : null;
      bar.update(
        'loading',
        fraction,
        `${megabytes(p.bytes)} of ${megabytes(p.totalBytes)}, ${p.rows.toLocaleString('en-US')} rows`,
      );
    } else if (p.phase === 'fit') {
      bar.update('fitting', null, `iteration ${p.iteration}, gradient ${p.gradNorm.toExponential(1)}`);
    } else {
      bar.clear();
    }
  };
  return { report, bar };
}

function tabularLines(r: TabularTrainResultJson): string[] {
  const d = r.dataset;
  return [
    ...trainLines(r),
    `[OK] dataset: ${d.name}, ${d.rows} rows (${d.n_train} train / ${d.n_test} test), ${d.n_features} features, sha256 ${d.sha256.slice(0, 12)}`,
    `[OK] dataset meta: ${r.dataset_meta_path}`,
    `[OK] fit: ${r.fit.solver}, ${r.fit.iterations} iterations, ${r.fit.converged ? 'converged' : 'NOT converged'}`,
  ];
}

/**
 * Adds `train-tabular` to the program.
 *
 * @example
 *   registerTabularCommands(program); // balanceops train-tabular --dataset-spec data.json --json
 */
export function registerTabularCommands(program: Command): void {
  const command = program
    .command('train-tabular')
    .description(
      'train the tabular baseline (standard scaler + logistic regression) on a CSV, let the policy decide promotion',
    )
    .option('--dataset-spec <file>', 'dataset spec JSON ({"kind": "csv", "params": {...}, "split": {...}})')
    .option('--csv-path <path>', 'CSV file to train on (instead of a spec)')
    .option('--target-col <column>', 'binary target column: 0/1, true/false, or two labels')
    .option('--feature-cols <a,b,...>', 'columns to use as features (default: all but the target)')
    .option('--dataset-name <name>', 'name recorded for the dataset (default: the file name)')
    .option('--sep <char>', 'field separator (\\t for a tab)', ',')
    .option('--no-one-hot', 'fail on non-numeric columns instead of one-hot encoding them')
    .option('--no-dropna', 'keep rows with empty cells (an empty category encodes as all zeros)')
    .option('--seed <n>', `split seed (default: the spec's, else ${DEFAULT_SEED})`, intOption(0, MAX_SEED))
    .option(
      '--test-size <fraction>',
      `held-out share, between 0 and 1 (default: the spec's, else ${DEFAULT_TEST_SIZE})`,
      fraction,
    )
    .option('--no-auto-promote', 'register the candidate without asking the policy')
    .option('--policy <file>', 'promotion policy JSON (default: BALANCEOPS_POLICY, else the built-in rule)')
    .option('--json', 'print {run_id, candidate_path, manifest_path, metrics, promoted, reason, ...}');
  command.action(
    action(async (ctx, opts: TabularOptions) => {
      // every check that can fail comes before the database is opened: a bad input records nothing
      const policy = loadPolicy(opts.policy ?? ctx.settings.policyPath);
      const spec = datasetSpec(ctx, command, opts);
      const { report, bar } = progressReporter(ctx);
      let fitted: FittedTabular;
      try {
        fitted = await fitTabular(
          spec,
          { seed: opts.seed, testSize: opts.testSize, onProgress: report },
          ctx.settings.cwd,
        );
      } finally {
        bar.clear();
      }
      if (!fitted.fit.converged)
        ctx.warn(
          `the solver stopped after ${fitted.fit.iterations} iterations before converging (gradient ${fitted.fit.gradNorm.toExponential(2)})`,
        );
      const { store, registry } = await openRegistry(ctx);
      const result = await recordTabular(new Tracker(store, ctx.settings), registry, fitted, {
        autoPromote: opts.autoPromote,
        policy,
      });
      ctx.result(result, () => tabularLines(result));
    }),
  );
}
