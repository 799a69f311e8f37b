import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { RunDetailJson, RunsPageJson } from '../src/contract.js';
import { parseJsonOutput, runCli, sandboxEnv, tempDir } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('CLI: init-db, demo-run, runs', () => {
  it('produces the rows and files of the contract in an empty folder', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const init = await runCli(['init-db'], { cwd, env });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /^\[OK\] database ready: db\/balanceops\.db/m);

    const demo = await runCli(['demo-run', '--json'], { cwd, env });
    assert.equal(demo.code, 0, demo.stderr);
    const out = parseJsonOutput<{ run_id: string; manifest_path: string }>(demo);
    assert.match(out.run_id, UUID);

    const runsRoot = join(cwd, 'store', 'runs');
    const dirName = readdirSync(runsRoot).find((d) => !d.startsWith('_'));
    assert.match(dirName ?? '', new RegExp(`^\\d{8}_\\d{6}_demo_${out.run_id.slice(0, 8)}$`));
    assert.equal(out.manifest_path, `store/runs/${dirName}/manifest.json`);

    const manifest = JSON.parse(readFileSync(join(cwd, out.manifest_path), 'utf8'));
    for (const key of [
      'run_id',
      'run_dir_name',
      'created_at',
      'kind',
      'status',
      'artifacts_dir',
      'db_path',
      'metrics',
    ]) {
      assert.ok(key in manifest, `manifest lacks ${key}`);
    }
    assert.equal(manifest.kind, 'demo');
    assert.equal(manifest.status, 'success');
    assert.equal(manifest.metrics.acc, 0.9);
    assert.equal(manifest.metrics.bal_acc, 0.88);
    assert.equal(manifest.artifacts_dir, `store/runs/${dirName}`);
    assert.equal(manifest.db_path, 'db/balanceops.db');
    // the folder name is the creation time in UTC
    const stamp = (manifest.created_at as string).replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
    assert.equal(dirName?.slice(0, 15), stamp);

    const pointer = {
      run_id: out.run_id,
      run_dir_name: dirName,
      manifest_path: out.manifest_path,
      created_at: manifest.created_at,
    };
    assert.deepEqual(JSON.parse(readFileSync(join(runsRoot, '_latest.json'), 'utf8')), pointer);
    assert.deepEqual(
      JSON.parse(readFileSync(join(runsRoot, '_by_id', `${out.run_id}.json`), 'utf8')),
      pointer,
    );
    // no temporary files are left behind by the atomic writes
    assert.deepEqual(
      readdirSync(runsRoot, { recursive: true }).filter((f) => String(f).endsWith('.tmp')),
      [],
    );

    const db = new Database(join(cwd, 'db', 'balanceops.db'), { readonly: true });
    const row = db
      .prepare('SELECT kind, status, note, run_dir_name FROM runs WHERE run_id = ?')
      .get(out.run_id);
    assert.deepEqual(row, {
      kind: 'demo',
      status: 'success',
      note: 'demo run for wiring check',
      run_dir_name: dirName,
    });
    const metrics = db
      .prepare(
        'SELECT key, value FROM metric_latest m JOIN runs r ON r.id = m.run_pk WHERE r.run_id = ? ORDER BY key',
      )
      .all(out.run_id);
    assert.deepEqual(
      metrics.filter((m) => (m as { key: string }).key !== 'loss'),
      [
        { key: 'acc', value: 0.9 },
        { key: 'bal_acc', value: 0.88 },
      ],
    );
    db.close();

    const list = parseJsonOutput<RunsPageJson>(
      await runCli(['runs', 'list', '--json', '--limit', '5'], { cwd, env }),
    );
    assert.equal(list.count, 1);
    assert.equal(list.limit, 5);
    assert.equal(list.items[0]?.run_dir_name, dirName);
    assert.equal(list.items[0]?.metrics?.bal_acc, 0.88);

    const show = parseJsonOutput<RunDetailJson>(
      await runCli(['runs', 'show', out.run_id, '--json'], { cwd, env }),
    );
    assert.equal(show.run_id, out.run_id);
    assert.deepEqual(show.params, { seed: 42 });
    assert.deepEqual(show.manifest, pointer);
    assert.equal(show.manifest_data?.status, 'success');

    const human = await runCli(['runs', 'list'], { cwd, env });
    assert.match(human.stdout, new RegExp(`${dirName}\\s+success\\s+demo\\s+acc=0\\.9000`));
  });

  it('fails with one [ERR] line naming the cause, and no stack trace', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const unknown = await runCli(['runs', 'show', '00000000-0000-4000-8000-000000000000'], { cwd, env });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /^\[ERR\] run not found: 00000000-0000-4000-8000-000000000000/);
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(unknown.stderr, /\bat .*\.js:\d+/);

    const withJson = await runCli(['runs', 'show', 'nope', '--json'], { cwd, env });
    assert.notEqual(withJson.code, 0);
    assert.equal(parseJsonOutput<{ error: { code: string } }>(withJson).error.code, 'RUN_NOT_FOUND');

    const debug = await runCli(['--debug', 'runs', 'show', 'nope'], { cwd, env });
    assert.match(debug.stderr, /\bat .*\.(js|ts):\d+/);

    const badLimit = await runCli(['runs', 'list', '--limit', '500'], { cwd, env });
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.stderr, /^\[ERR\] .*--limit/);

    const unknownCommand = await runCli(['frobnicate'], { cwd, env });
    assert.notEqual(unknownCommand.code, 0);
    assert.match(unknownCommand.stderr, /^\[ERR\] unknown command 'frobnicate'/);
  });

  it('refuses a file that is not a SQLite database, naming it, and leaves it as it was', async () => {
    const cwd = tempDir();
    const notDb = join(cwd, 'important.txt');
    writeFileSync(notDb, 'do not overwrite me\n'.repeat(100));
    const before = readFileSync(notDb);
    const res = await runCli(['demo-run'], { cwd, env: sandboxEnv(cwd, { BALANCEOPS_DB: notDb }) });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /^\[ERR\] .*important\.txt is not a SQLite database/);
    assert.deepEqual(readFileSync(notDb), before);
  });

  it('names the folder when the database cannot be created there', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'blocker'), '');
    const res = await runCli(['init-db'], {
      cwd,
      env: sandboxEnv(cwd, { BALANCEOPS_DB: join(cwd, 'blocker', 'x', 'db.sqlite') }),
    });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /^\[ERR\] cannot create the database folder .*blocker/);
  });

  it('survives a corrupt pointer: warns naming the file, falls back to the database, keeps the data', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const first = parseJsonOutput<{ run_id: string }>(await runCli(['demo-run', '--json'], { cwd, env }));
    const latest = join(cwd, 'store', 'runs', '_latest.json');
    const byId = join(cwd, 'store', 'runs', '_by_id', `${first.run_id}.json`);
    writeFileSync(latest, '{"run_id": "half-writ');
    writeFileSync(byId, 'garbage');
    const show = await runCli(['runs', 'show', 'latest', '--json'], { cwd, env });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stderr, /\[WARN\] pointer .*_latest\.json is not valid JSON/);
    const detail = parseJsonOutput<RunDetailJson>(show);
    assert.equal(detail.run_id, first.run_id);
    assert.equal(detail.manifest, null);
    assert.ok(detail.warnings.some((w) => w.includes(byId)));
    assert.equal(
      detail.manifest_data?.run_id,
      first.run_id,
      'the manifest is still found through the run folder',
    );
    assert.equal(readFileSync(byId, 'utf8'), 'garbage', 'reading never rewrites a file');
    // the next run repairs the latest pointer
    const second = parseJsonOutput<{ run_id: string }>(await runCli(['demo-run', '--json'], { cwd, env }));
    assert.equal(JSON.parse(readFileSync(latest, 'utf8')).run_id, second.run_id);
  });

  it('prints its version and help', async () => {
    const cwd = tempDir();
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const version = await runCli(['--version'], { cwd });
    assert.equal(version.stdout.trim(), pkg.version);
    const help = await runCli(['--help'], { cwd });
    assert.equal(help.code, 0);
    for (const cmd of ['init-db', 'demo-run', 'runs']) assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
    assert.equal(existsSync(join(cwd, 'data')), false, '--help touches nothing');
  });
});
