import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ModelVersionJson, PromotionJson, RegistryEventJson, TrainResultJson } from '../src/contract.js';
import { parseJsonOutput, runCli, sandboxEnv, tempDir } from './helpers.js';

function sandbox() {
  const cwd = tempDir();
  const env = sandboxEnv(cwd);
  const cli = (...args: string[]) => runCli(args, { cwd, env });
  const json = async <T>(...args: string[]) => {
    const r = await cli(...args, '--json');
    assert.equal(r.code, 0, `${args.join(' ')} failed: ${r.stderr}`);
    return parseJsonOutput<T>(r);
  };
  const countRuns = () => {
    const db = new Database(env.BALANCEOPS_DB as string, { readonly: true });
    const n = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
    db.close();
    return n;
  };
  return { cwd, env, cli, json, countRuns };
}

describe('CLI: train-dummy, promote, rollback, models', () => {
  it('trains reproducibly: the first model is promoted, the same seed again is not', async () => {
    const { env, json } = sandbox();
    const first = await json<TrainResultJson>('train-dummy');
    assert.equal(first.promoted, true);
    assert.equal(first.reason, 'no current model yet');
    for (const key of ['run_id', 'candidate_path', 'manifest_path', 'metrics', 'promoted', 'reason'])
      assert.ok(key in first);
    assert.deepEqual(Object.keys(first.metrics).sort(), ['acc', 'bal_acc', 'recall_1']);
    assert.match(first.candidate_path, new RegExp(`models/candidates/${first.run_id}_dummy\\.json$`));

    const second = await json<TrainResultJson>('train-dummy', '--seed', '42');
    assert.equal(second.promoted, false);
    assert.match(second.reason, /^not enough improvement/);
    assert.deepEqual(second.metrics, first.metrics, 'same seed, same metrics');
    assert.equal(
      readFileSync(
        join(env.BALANCEOPS_ARTIFACTS as string, 'models', 'candidates', `${second.run_id}_dummy.json`),
        'utf8',
      ),
      readFileSync(
        join(env.BALANCEOPS_ARTIFACTS as string, 'models', 'candidates', `${first.run_id}_dummy.json`),
        'utf8',
      ),
      'same seed, same model',
    );
    const current = readFileSync(env.BALANCEOPS_CURRENT_MODEL as string, 'utf8');
    assert.equal(JSON.parse(current).format, 'balanceops.model');

    const other = await json<TrainResultJson>(
      'train-dummy',
      '--seed',
      '7',
      '--n-features',
      '4',
      '--no-auto-promote',
    );
    assert.equal(other.promoted, false);
    assert.equal(other.reason, 'auto-promote disabled');
    const history = await json<{ events: RegistryEventJson[] }>('models', 'history');
    assert.deepEqual(
      history.events.map((e) => [e.action, e.reason.split(' (')[0]]),
      [
        ['decline', 'not enough improvement'],
        ['promote', 'no current model yet'],
      ],
    );
  });

  it('promotes by run id and by --latest, and rolls back to the previous current', async () => {
    const { env, json, cli } = sandbox();
    const a = await json<TrainResultJson>('train-dummy', '--seed', '1');
    const b = await json<TrainResultJson>('train-dummy', '--seed', '2', '--no-auto-promote');
    const c = await json<TrainResultJson>('train-dummy', '--seed', '3', '--no-auto-promote');
    const currentBytes = () => readFileSync(env.BALANCEOPS_CURRENT_MODEL as string, 'utf8');
    const candidateBytes = (r: TrainResultJson) =>
      readFileSync(join(env.BALANCEOPS_ARTIFACTS as string, '..', r.candidate_path), 'utf8');

    const byId = await json<PromotionJson>('promote', '--run-id', b.run_id);
    assert.equal(byId.promoted, true);
    assert.equal(byId.version.run_id, b.run_id);
    assert.equal(currentBytes(), candidateBytes(b));

    const latest = await json<PromotionJson>('promote', '--latest');
    assert.equal(latest.version.run_id, c.run_id);
    assert.equal(currentBytes(), candidateBytes(c));

    const again = await json<PromotionJson>('promote', '--latest');
    assert.equal(again.promoted, false, 'promoting the current model changes nothing');

    const back = await json<PromotionJson>('rollback');
    assert.equal(back.version.run_id, b.run_id);
    assert.equal(currentBytes(), candidateBytes(b));
    const back2 = await json<PromotionJson>('rollback');
    assert.equal(back2.version.run_id, a.run_id);
    const refused = await cli('rollback');
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /^\[ERR\] balance_model v1 is the first model promoted; there is no earlier one/,
    );
    assert.equal(currentBytes(), candidateBytes(a), 'a refused rollback changes nothing');

    const list = await json<{ versions: ModelVersionJson[] }>('models', 'list');
    assert.deepEqual(
      list.versions.map((v) => [v.version, v.current]),
      [
        [3, false],
        [2, false],
        [1, true],
      ],
    );
    const actions = (await json<{ events: RegistryEventJson[] }>('models', 'history')).events.map(
      (e) => e.action,
    );
    assert.deepEqual(actions, ['rollback', 'rollback', 'promote', 'promote', 'promote']);
  });

  it('refuses unknown runs, runs without a model and bad policies, changing nothing', async () => {
    const { cwd, cli, json, countRuns, env } = sandbox();
    await json('train-dummy');
    const before = readFileSync(env.BALANCEOPS_CURRENT_MODEL as string, 'utf8');

    const unknown = await cli('promote', '--run-id', '00000000-0000-4000-8000-00000000abcd');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /^\[ERR\] run not found: 00000000-0000-4000-8000-00000000abcd/);

    const demo = await json<{ run_id: string }>('demo-run');
    const noModel = await cli('promote', '--run-id', demo.run_id);
    assert.notEqual(noModel.code, 0);
    assert.match(
      noModel.stderr,
      new RegExp(`^\\[ERR\\] run ${demo.run_id} \\(demo\\) has no model artifact`),
    );
    const latestNoModel = await cli('promote', '--latest');
    assert.notEqual(latestNoModel.code, 0);

    const neither = await cli('promote');
    assert.notEqual(neither.code, 0);
    assert.match(neither.stderr, /--run-id <id> or --latest/);

    const runsBefore = countRuns();
    const notJson = join(cwd, 'policy.json');
    writeFileSync(notJson, 'primary: bal_acc');
    const bad = await cli('train-dummy', '--policy', notJson);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /^\[ERR\] policy file .*policy\.json is not valid JSON/);
    const noMetric = join(cwd, 'nometric.json');
    writeFileSync(noMetric, '{"primary": {"min_delta": 0.1}}');
    const viaEnv = await runCli(['train-dummy'], { cwd, env: { ...env, BALANCEOPS_POLICY: noMetric } });
    assert.notEqual(viaEnv.code, 0);
    assert.match(viaEnv.stderr, /nometric\.json: the policy names no metric/);
    assert.equal(countRuns(), runsBefore, 'no run was recorded for a bad policy');
    assert.equal(readFileSync(env.BALANCEOPS_CURRENT_MODEL as string, 'utf8'), before);
  });

  it('applies a policy file: a stricter primary metric declines what the default would promote', async () => {
    const { cwd, json } = sandbox();
    await json('train-dummy', '--seed', '5');
    const policy = join(cwd, 'strict.json');
    writeFileSync(policy, JSON.stringify({ primary: { metric: 'acc', min_delta: 0.5 }, guards: [] }));
    const r = await json<TrainResultJson>('train-dummy', '--seed', '11', '--policy', policy);
    assert.equal(r.promoted, false);
    assert.match(r.reason, /^not enough improvement \(acc /);
  });
});
