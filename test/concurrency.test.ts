import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { loadSettings } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { REPO_ROOT, runCli, sandboxEnv, tempDir } from './helpers.js';

const PG_URL = process.env.BALANCEOPS_TEST_PG_URL;
const schemas: string[] = [];
after(async () => {
  if (PG_URL === undefined || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

/** The backends to run against: SQLite always, PostgreSQL when a test server is configured. */
function backends(): { name: string; env: (dir: string) => Record<string, string> }[] {
  const list = [{ name: 'sqlite', env: (dir: string) => sandboxEnv(dir) }];
  if (PG_URL !== undefined) {
    list.push({
      name: 'postgres',
      env: (dir: string) => {
        const schema = `c_${randomBytes(6).toString('hex')}`;
        schemas.push(schema);
        return sandboxEnv(dir, { BALANCEOPS_DB: `${PG_URL}?schema=${schema}` });
      },
    });
  } else if (process.env.BALANCEOPS_REQUIRE_PG === '1') {
    throw new Error('BALANCEOPS_REQUIRE_PG=1 but BALANCEOPS_TEST_PG_URL is not set');
  }
  return list;
}

function writer(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; ids: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'test', 'fixtures', 'write-runs.mjs'), ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, ids: code === 0 ? (JSON.parse(out) as string[]) : [], stderr: err }),
    );
  });
}

for (const backend of backends()) {
  describe(`many processes on one fresh ${backend.name} database`, () => {
    it('32 processes initialising it at once all succeed', async () => {
      const cwd = tempDir();
      const env = backend.env(cwd);
      const results = await Promise.all(
        Array.from({ length: 32 }, () => runCli(['init-db', '--json'], { cwd, env })),
      );
      for (const r of results) assert.equal(r.code, 0, `init-db failed: ${r.stderr}`);
      assert.ok(results.every((r) => !/locked/i.test(r.stderr)));
    });

    it('init-db and demo-run at once never fail and lose no run', async () => {
      const cwd = tempDir();
      const env = backend.env(cwd);
      const processes = 12;
      const results = await Promise.all(
        Array.from({ length: processes }, (_, i) =>
          i % 2 === 0
            ? runCli(['init-db'], { cwd, env }).then(async (r) => [
                r,
                await runCli(['demo-run', '--json'], { cwd, env }),
              ])
            : runCli(['demo-run', '--json'], { cwd, env }).then((r) => [r]),
        ),
      );
      const all = results.flat();
      for (const r of all) assert.equal(r.code, 0, `a process failed: ${r.stderr}`);
      const ids = all
        .filter((r) => r.stdout.startsWith('{'))
        .map((r) => JSON.parse(r.stdout).run_id as string);
      assert.equal(ids.length, processes);
      const store = await openStore(loadSettings(env, cwd));
      try {
        const page = await store.listRuns({ limit: 200, offset: 0, status: 'success', withTotal: true });
        assert.deepEqual(page.items.map((r) => r.runId).sort(), [...ids].sort());
      } finally {
        await store.close();
      }
      assert.equal(readdirSync(join(env.BALANCEOPS_ARTIFACTS as string, 'runs', '_by_id')).length, processes);
    });

    it('16 processes writing runs and metric batches at once lose nothing', async () => {
      const cwd = tempDir();
      const env = backend.env(cwd);
      const [runs, batches, points] = [3, 4, 250];
      const results = await Promise.all(
        Array.from({ length: 16 }, () => writer(cwd, env, [String(runs), String(batches), String(points)])),
      );
      for (const r of results) assert.equal(r.code, 0, `a writer failed: ${r.stderr}`);
      const ids = results.flatMap((r) => r.ids);
      assert.equal(new Set(ids).size, 16 * runs);
      const store = await openStore(loadSettings(env, cwd));
      try {
        const page = await store.listRuns({ limit: 200, offset: 0, kind: 'stress', withTotal: true });
        assert.equal(page.total, 16 * runs);
        assert.ok(page.items.every((r) => r.status === 'success'));
        for (const id of ids) {
          const history = await store.getMetricHistory(id);
          assert.equal(history.length, batches * points, `run ${id} lost metric points`);
          const latest = (await store.getLatestMetrics([id])).get(id);
          assert.equal(latest?.m4, batches * points - 1);
          assert.equal((await store.listArtifacts(id)).length, 1);
          assert.equal(Object.keys(await store.getParams(id)).length, 2);
        }
      } finally {
        await store.close();
      }
    });
  });
}
