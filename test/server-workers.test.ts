import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainResultJson } from '../src/contract.js';
import { parseJsonOutput, runCli, sandboxEnv, startCliServer, tempDir } from './helpers.js';

const FEATURES = JSON.stringify({ features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] });

async function predict(url: string): Promise<{ status: number; p: number | undefined }> {
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: FEATURES,
  });
  const body = (await res.json()) as { p_win?: number };
  return { status: res.status, p: body.p_win };
}

describe('balanceops serve --workers', {
  skip: process.platform === 'win32' ? 'SIGHUP does not exist on Windows' : false,
}, () => {
  it('serves from several processes, sums their metrics, reloads each, restarts them one by one without dropping requests', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    parseJsonOutput<TrainResultJson>(await runCli(['train-dummy', '--seed', '1', '--json'], { cwd, env }));
    const second = parseJsonOutput<TrainResultJson>(
      await runCli(['train-dummy', '--seed', '2', '--no-auto-promote', '--json'], { cwd, env }),
    );
    const server = await startCliServer(['serve', '--workers', '2', '--log-level', 'warn'], { cwd, env });
    try {
      assert.match(server.output(), /\[2 workers, pid \d+\]/);
      const first = await predict(server.url);
      assert.equal(first.status, 200);
      for (let i = 0; i < 19; i++) assert.equal((await predict(server.url)).p, first.p);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(
        metrics,
        /^balanceops_predictions_total\{service="balanceops-api"\} 20$/m,
        'counts from every worker, summed',
      );
      assert.match(
        metrics,
        /^balanceops_model_loads_total\{service="balanceops-api"\} 2$/m,
        'one load per worker',
      );

      assert.equal((await runCli(['promote', '--run-id', second.run_id], { cwd, env })).code, 0);
      // every worker serves the new model from its next request (round-robin spreads these over both)
      for (let i = 0; i < 10; i++) assert.notEqual((await predict(server.url)).p, first.p);

      // a rolling restart (SIGHUP to the primary) while requests keep coming: none may fail
      let running = true;
      const failures: string[] = [];
      let served = 0;
      const traffic = (async () => {
        while (running) {
          try {
            const r = await predict(server.url);
            if (r.status === 200) served++;
            else failures.push(`HTTP ${r.status}`);
          } catch (err) {
            failures.push(String(err));
          }
        }
      })();
      server.child.kill('SIGHUP');
      const deadline = Date.now() + 60_000;
      while (!/restarted 2 workers/.test(server.output()) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      running = false;
      await traffic;
      assert.match(server.output(), /restarted 2 workers/);
      assert.deepEqual(failures, [], 'no request failed during the restart');
      assert.ok(served > 0);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
    }
    await assert.rejects(fetch(`${server.url}/health`), 'no worker is left listening');
  });
});
