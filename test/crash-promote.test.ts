import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSettings } from '../src/config.js';
import { parseModel } from '../src/models/load.js';
import { ModelRegistry, sha256 } from '../src/registry/registry.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { REPO_ROOT, runCli, sandboxEnv, tempDir } from './helpers.js';

const KILLS = Number(process.env.BALANCEOPS_CRASH_KILLS ?? 100);

/** Starts the promotion loop, waits until it is busy, kills it with SIGKILL after a random delay. */
function runAndKill(env: Record<string, string>, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'test', 'fixtures', 'promote-loop.mjs')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`promotion loop ended by itself (${signal})`)),
    );
  });
}

describe('SIGKILL during repeated promotions', () => {
  it(`leaves a consistent registry and a complete current file (${KILLS} kills)`, async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    for (const seed of ['1', '2', '3']) {
      const r = await runCli(['train-dummy', '--seed', seed, '--no-auto-promote'], { cwd, env });
      assert.equal(r.code, 0, r.stderr);
    }
    const settings = loadSettings(env, cwd);
    const versions = new Map<string, number>();
    let inWindow = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(env, Math.random() * 60);
      const store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
      try {
        const registry = new ModelRegistry(store, settings);
        const current = await store.getCurrent('balance_model');
        if (current === null) continue; // killed before the first promotion committed
        for (const v of await store.listVersions('balance_model')) versions.set(v.sha256, v.version);

        // the pointer names a registered version whose file is there and loads
        const own = registry.readVersion(current.version);
        assert.equal(own.predictor.type, 'dummy');
        // the newest event is the one that made the current pointer (same transaction)
        const [last] = (await store.listEvents('balance_model', 1)).filter((e) => e.action !== 'decline');
        assert.equal(last?.toVersion, current.version.version, 'event and pointer moved together');

        // the canonical file is always a complete model file: the current one, or (in the one-instant
        // window between its rename and the commit) the one being promoted
        const bytes = readFileSync(settings.currentModelPath);
        parseModel(bytes.toString('utf8'), settings.currentModelPath);
        assert.ok(versions.has(sha256(bytes)), 'canonical bytes are those of a registered version');
        if (sha256(bytes) !== current.version.sha256) inWindow++;

        // a server starting now serves a complete model: the current version, checked against its digest
        const served = await registry.loadCurrent();
        assert.equal(served?.version.id, current.version.id);
        assert.ok(served.predictor.predictOne([0, 0, 0, 0, 0, 0, 0, 0]) > 0);

        // and any registry user puts the canonical file back in step with the pointer
        assert.notEqual(await registry.ensureCanonical(), 'unrepairable');
        assert.equal(sha256(readFileSync(settings.currentModelPath)), current.version.sha256);
        const leftovers = readdirSync(dirname(settings.currentModelPath)).filter((f) => f.endsWith('.tmp'));
        assert.deepEqual(leftovers, [], 'stale temporary files are swept');
      } finally {
        await store.close();
      }
    }
    const history = await runCli(['models', 'history', '--json', '--limit', '100000'], { cwd, env });
    assert.equal(history.code, 0, history.stderr);
    const events = JSON.parse(history.stdout).events as {
      action: string;
      from_version: number | null;
      to_version: number;
    }[];
    assert.ok(events.length > KILLS, `promotions happened (${events.length} events)`);
    // the history is a chain: each change starts where the previous one ended
    const changes = events.filter((e) => e.action !== 'decline').reverse();
    for (let i = 1; i < changes.length; i++)
      assert.equal(changes[i]?.from_version, changes[i - 1]?.to_version);
    if (inWindow > 0) console.log(`# ${inWindow} kill(s) landed between rename and commit; repaired`);
  });
});
