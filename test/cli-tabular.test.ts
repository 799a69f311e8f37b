import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { loadModel } from '../src/models/load.js';
import type { TabularTrainResultJson } from '../src/training/train-tabular.js';
import { parseJsonOutput, REPO_ROOT, runCli, sandboxEnv, tempDir } from './helpers.js';

const EXAMPLE_SPEC = join(REPO_ROOT, 'examples', 'credit-risk', 'dataset.json');

function sandbox() {
  const cwd = tempDir();
  const env = sandboxEnv(cwd);
  const cli = (...args: string[]) => runCli(args, { cwd, env });
  const json = async (...args: string[]) => {
    const r = await cli(...args, '--json');
    assert.equal(r.code, 0, `${args.join(' ')} failed: ${r.stderr}`);
    return parseJsonOutput<TabularTrainResultJson>(r);
  };
  const runCount = () => {
    const path = env.BALANCEOPS_DB as string;
    if (!existsSync(path)) return 0;
    const db = new Database(path, { readonly: true });
    const n = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
    db.close();
    return n;
  };
  const write = (name: string, text: string) => {
    const path = join(cwd, name);
    writeFileSync(path, text);
    return path;
  };
  return { cwd, env, cli, json, runCount, write };
}

describe('CLI: train-tabular', () => {
  it('trains the credit-risk example from its spec: one JSON object, then the policy declines a twin', async () => {
    const { env, json, cli } = sandbox();
    const first = await json('train-tabular', '--dataset-spec', EXAMPLE_SPEC);
    for (const key of [
      'run_id',
      'candidate_path',
      'manifest_path',
      'metrics',
      'promoted',
      'reason',
      'model_version',
    ])
      assert.ok(key in first, key);
    assert.equal(first.promoted, true);
    assert.deepEqual(Object.keys(first.metrics), ['acc', 'bal_acc', 'recall_1', 'roc_auc', 'f1', 'log_loss']);
    assert.match(first.candidate_path, new RegExp(`models/candidates/${first.run_id}_tabular\\.json$`));
    assert.equal(first.dataset.name, 'credit-risk');
    assert.equal(first.dataset.rows + 110, 3000, '110 rows of the example have an empty cell');

    const model = loadModel(env.BALANCEOPS_CURRENT_MODEL as string);
    assert.equal(model.type, 'tabular_logistic');
    assert.equal(model.recordColumns?.length, 10);
    const p = model.predictOne(
      model.encodeRecord?.({
        age: 35,
        employment_years: 4,
        annual_income: 30_000,
        loan_amount: 15_000,
        interest_rate: 0.25,
        debt_to_income: 0.45,
        delinquencies: 3,
        credit_score: 560,
        home_ownership: 'RENT',
        purpose: 'medical',
      }) ?? [],
    );
    assert.ok(p > 0.5, `a risky applicant should look risky, got ${p}`);

    const second = await cli('train-tabular', '--dataset-spec', EXAMPLE_SPEC);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, '', 'no progress bar when stderr is not a terminal');
    const lines = second.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^\[OK\] run_id: /);
    assert.ok(lines.some((l) => /^\[OK\] promoted: false \(not enough improvement/.test(l)));
    assert.ok(
      lines.some((l) =>
        /^\[OK\] dataset: credit-risk, 2890 rows \(2312 train \/ 578 test\), 17 features/.test(l),
      ),
    );
    assert.ok(lines.some((l) => /^\[OK\] metrics: acc=0\.\d{4} bal_acc=/.test(l)));
  });

  it('trains from --csv-path with columns, separator and encoding choices', async () => {
    const { json, write } = sandbox();
    const rows = ['a;b;c;label'];
    for (let i = 0; i < 60; i++)
      rows.push(`${i % 7};${(i * 13) % 11};${i % 2 ? 'x' : 'w'};${i % 3 === 0 ? 'bad' : 'good'}`);
    write('semi.csv', `${rows.join('\n')}\n`);
    const r = await json(
      'train-tabular',
      '--csv-path',
      'semi.csv',
      '--target-col',
      'label',
      '--feature-cols',
      'a, b',
      '--sep',
      ';',
      '--no-one-hot',
      '--seed',
      '3',
      '--test-size',
      '0.25',
      '--no-auto-promote',
    );
    assert.equal(r.dataset.n_features, 2);
    assert.deepEqual([r.dataset.n_train, r.dataset.n_test], [45, 15]);
    assert.equal(r.dataset.name, 'semi');
    assert.equal(r.reason, 'auto-promote disabled');
    write('tabs.tsv', `${rows.join('\n').replaceAll(';', '\t')}\n`);
    const tabs = await json(
      'train-tabular',
      '--csv-path',
      'tabs.tsv',
      '--target-col',
      'label',
      '--sep',
      '\\t',
    );
    assert.equal(tabs.dataset.n_features, 4, 'a, b and the two levels of c');
  });

  it('finds data next to the spec, or (original-style specs) from the working directory', async () => {
    const { cwd, json, write } = sandbox();
    mkdirSync(join(cwd, 'specs'));
    mkdirSync(join(cwd, 'data'));
    const csv = readFileSync(join(REPO_ROOT, 'examples', 'credit-risk', 'credit-risk.csv'), 'utf8');
    write('data/credit.csv', csv);
    write('specs/credit.csv', csv.replace(/\n[^\n]*\n$/, '\n'));
    write(
      'specs/near.json',
      JSON.stringify({ kind: 'csv', params: { path: 'credit.csv', target_col: 'default' } }),
    );
    write(
      'specs/root.json',
      JSON.stringify({ kind: 'csv', params: { path: 'data/credit.csv', target_col: 'default' } }),
    );
    const near = await json('train-tabular', '--dataset-spec', 'specs/near.json');
    const root = await json('train-tabular', '--dataset-spec', 'specs/root.json');
    assert.notEqual(near.dataset.sha256, root.dataset.sha256, 'two different files were found');
  });

  it('fails on bad input with one [ERR] line naming the file and the column, recording nothing', async () => {
    const { cli, write, runCount } = sandbox();
    const good = write('good.csv', 'a,b,y\n1,x,0\n2,y,1\n3,x,0\n4,y,1\n5,x,0\n6,y,1\n');
    const cases: [string[], RegExp][] = [
      [['--csv-path', 'absent.csv', '--target-col', 'y'], /data file absent\.csv not found/],
      [['--csv-path', good, '--target-col', 'zz'], /good\.csv: target column 'zz' not found/],
      [
        ['--csv-path', good, '--target-col', 'y', '--feature-cols', 'a,q'],
        /good\.csv: feature column 'q' not found/,
      ],
      [
        ['--csv-path', write('three.csv', 'a,y\n1,0\n2,1\n3,2\n'), '--target-col', 'y'],
        /three\.csv: column 'y' has a third distinct value "2" .* at line 4/,
      ],
      [
        ['--csv-path', good, '--target-col', 'y', '--no-one-hot'],
        /good\.csv: column 'b' has the non-numeric value "x" at line 2/,
      ],
      [
        ['--csv-path', write('gaps.csv', 'a,y\n,0\nNA,1\n'), '--target-col', 'y'],
        /gaps\.csv: no rows left after dropping rows with empty cells/,
      ],
      [
        ['--csv-path', write('rare.csv', `a,y\n${'1,0\n'.repeat(20)}2,1\n`), '--target-col', 'y'],
        /rare\.csv .*leaves class 1 with no rows in the test split/,
      ],
      [
        ['--dataset-spec', write('broken.json', '{"kind": "csv"')],
        /dataset spec .*broken\.json: is not valid JSON/,
      ],
      [
        ['--dataset-spec', write('lacking.json', '{"kind": "csv", "params": {"path": "good.csv"}}')],
        /lacking\.json: params\.target_col is missing/,
      ],
      [
        [
          '--dataset-spec',
          write('ok.json', '{"kind": "csv", "params": {"path": "good.csv", "target_col": "y"}}'),
          '--csv-path',
          good,
        ],
        /--csv-path cannot be combined with --dataset-spec/,
      ],
      [['--target-col', 'y'], /give --dataset-spec FILE, or --csv-path PATH with --target-col COLUMN/],
      [
        ['--csv-path', good, '--target-col', 'y', '--policy', write('policy.json', '{"primary": 1}')],
        /policy/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli('train-tabular', ...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', /^\[ERR\] /);
      assert.match(lines[0] ?? '', pattern);
      assert.equal(r.stdout, '');
    }
    const usage = await cli('train-tabular', '--csv-path', good, '--target-col', 'y', '--test-size', '1');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^\[ERR\] option '--test-size <fraction>' argument '1' is invalid/);
    const withJson = await cli('train-tabular', '--csv-path', good, '--target-col', 'zz', '--json');
    assert.equal(withJson.code, 1);
    assert.equal(parseJsonOutput<{ error: { code: string } }>(withJson).error.code, 'DATASET_INVALID');
    assert.equal(runCount(), 0);
  });
});
