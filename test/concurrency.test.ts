import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, sandboxEnv, tempDir } from './helpers.js';

describe('several processes on one fresh SQLite database', () => {
  it('init-db and demo-run at once never fail and lose no run', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
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
    assert.ok(all.every((r) => !/locked/i.test(r.stderr)));
    const ids = all.filter((r) => r.stdout.startsWith('{')).map((r) => JSON.parse(r.stdout).run_id as string);
    assert.equal(ids.length, processes);

    const db = new Database(join(cwd, 'db', 'balanceops.db'), { readonly: true });
    const stored = db.prepare("SELECT run_id FROM runs WHERE status = 'success'").pluck().all() as string[];
    db.close();
    assert.deepEqual([...stored].sort(), [...ids].sort());
    const pointers = readdirSync(join(cwd, 'store', 'runs', '_by_id'));
    assert.equal(pointers.length, processes);
  });
});
