import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { TrainResultJson } from '../src/contract.js';
import { parseJsonOutput, runCli, sandboxEnv, startCliServer, tempDir } from './helpers.js';

const FEATURES = { features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] };

async function predict(url: string): Promise<number> {
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(FEATURES),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { p_win: number }).p_win;
}

const getJson = async (url: string) => (await fetch(url)).json() as Promise<Record<string, unknown>>;

const PG_URL = process.env.BALANCEOPS_TEST_PG_URL;
const backends: [string, (cwd: string) => Record<string, string>][] = [['sqlite', (cwd) => sandboxEnv(cwd)]];
if (PG_URL !== undefined) {
  backends.push([
    'postgres',
    (cwd) => sandboxEnv(cwd, { BALANCEOPS_DB: `${PG_URL}?schema=s_${randomBytes(6).toString('hex')}` }),
  ]);
}

describe('balanceops serve (a real process)', () => {
  for (const [backend, makeEnv] of backends) {
    it(`serves a promotion made by another CLI process from the very next request (${backend}), stops on SIGTERM`, async () => {
      await hotReload(makeEnv);
    });
  }

  async function hotReload(makeEnv: (cwd: string) => Record<string, string>) {
    const cwd = tempDir();
    const env = makeEnv(cwd);
    const first = parseJsonOutput<TrainResultJson>(
      await runCli(['train-dummy', '--seed', '1', '--json'], { cwd, env }),
    );
    const second = parseJsonOutput<TrainResultJson>(
      await runCli(['train-dummy', '--seed', '2', '--no-auto-promote', '--json'], { cwd, env }),
    );
    const server = await startCliServer(['serve', '--log-level', 'warn'], { cwd, env });
    try {
      const p1 = await predict(server.url);
      assert.equal((await getJson(`${server.url}/model`)).run_id, first.run_id);

      const promoted = await runCli(['promote', '--run-id', second.run_id], { cwd, env });
      assert.equal(promoted.code, 0, promoted.stderr);
      const p2 = await predict(server.url);
      assert.notEqual(p2, p1, 'the very next prediction uses the promoted model');
      assert.equal((await getJson(`${server.url}/model`)).run_id, second.run_id);
      assert.equal(
        ((await getJson(`${server.url}/version`)).model as { run_id: string }).run_id,
        second.run_id,
      );

      const rolled = await runCli(['rollback'], { cwd, env });
      assert.equal(rolled.code, 0, rolled.stderr);
      assert.equal(await predict(server.url), p1);
    } finally {
      const code = await server.stop('SIGTERM');
      // Windows has no SIGTERM to catch: kill() ends the process at once, so only POSIX can show a clean exit
      if (process.platform !== 'win32') assert.equal(code, 0, `graceful exit:\n${server.output()}`);
    }
  }

  it('refuses to listen on a non-loopback address without a token', async () => {
    const cwd = tempDir();
    const res = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd, env: sandboxEnv(cwd) });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /^\[ERR\] refusing to listen on 0\.0\.0\.0 without BALANCEOPS_API_TOKEN/);
  });
});

describe('balanceops smoke', () => {
  it('passes against serve, resizing features to what /version expects', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    await runCli(['train-dummy', '--n-features', '5'], { cwd, env });
    const server = await startCliServer(['serve', '--log-level', 'warn'], { cwd, env });
    try {
      const ok = await runCli(['smoke', '--base-url', server.url], { cwd, env });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /expected_n_features\(from \/version\): 5 -> using 5/);
      assert.match(ok.stdout, /\/predict OK \(HTTP 200\): \{"p_win":/);
      const port = new URL(server.url).port;
      const json = await runCli(
        ['smoke', '--host', '127.0.0.1', '--port', port, '--features', '1', '2', '--json'],
        { cwd, env },
      );
      assert.equal(json.code, 0, json.stderr);
      const result = parseJsonOutput<{ ok: boolean; predict: { features_sent: number } }>(json);
      assert.equal(result.ok, true);
      assert.equal(result.predict.features_sent, 5);
    } finally {
      await server.stop();
    }
  });

  it('warns on a 404 from /predict unless --fail-on-predict-404; --skip-predict checks health only', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const server = await startCliServer(['serve', '--log-level', 'warn'], { cwd, env });
    try {
      const warned = await runCli(['smoke', '--base-url', server.url], { cwd, env });
      assert.equal(warned.code, 0);
      assert.match(warned.stderr, /WARN \/predict returned 404/);
      const failed = await runCli(['smoke', '--base-url', server.url, '--fail-on-predict-404'], { cwd, env });
      assert.equal(failed.code, 1);
      const skipped = await runCli(
        ['smoke', '--base-url', server.url, '--skip-predict', '--fail-on-predict-404'],
        { cwd, env },
      );
      assert.equal(skipped.code, 0);
      assert.match(skipped.stdout, /skip predict/);
    } finally {
      await server.stop();
    }
  });

  it('retries connection failures and 5xx, not 400/404, and retries once with the size a mismatch names', async () => {
    const hits: string[] = [];
    let failuresLeft = 2;
    const fake: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        hits.push(`${req.method} ${req.url} ${body}`);
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.url === '/health') {
          if (failuresLeft-- > 0) return send(503, { ok: false });
          return send(200, { status: 'ok' });
        }
        if (req.url === '/version') return send(200, { service: 'old-server' }); // no expected_n_features
        const n = (JSON.parse(body) as { features: number[] }).features.length;
        // the FastAPI-era shape: the smoke client must still learn the size from it
        if (n !== 3)
          return send(400, {
            detail: { error: 'feature_size_mismatch', expected_n_features: 3, got_n_features: n },
          });
        return send(200, { p_win: 0.5 });
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    try {
      const cwd = tempDir();
      const res = await runCli(['smoke', '--base-url', url, '--retries', '3', '--retry-delay-sec', '0.01'], {
        cwd,
      });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(hits.filter((h) => h.startsWith('GET /health')).length, 3, 'two 503s retried');
      const posts = hits.filter((h) => h.startsWith('POST /predict'));
      assert.equal(posts.length, 2, 'one retry after the mismatch, no retry of the 400 itself');
      assert.match(posts[1] ?? '', /"features":\[0\.1,0\.2,-0\.3\]/);
      assert.match(res.stderr, /feature mismatch -> retry with expected_n_features=3 \(len 8 -> 3\)/);
    } finally {
      fake.close();
    }
    const closed = await runCli(['smoke', '--base-url', url, '--retries', '2', '--retry-delay-sec', '0.01'], {
      cwd: tempDir(),
    });
    assert.equal(closed.code, 1);
    assert.equal((closed.stderr.match(/WARN GET \/health attempt/g) ?? []).length, 2);
    assert.match(closed.stderr, /\/health FAILED \(no-status: .*ECONNREFUSED/);
  });
});

describe('balanceops e2e', () => {
  it('runs init, train, serve, smoke and stop in a sandbox, and leaves nothing running', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const cwd = tempDir();
    const res = await runCli(['e2e', '--port', String(port)], { cwd });
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    for (const step of ['1/5 init', '2/5 train-dummy', '3/5 current model', '4/5 serve', '5/5 smoke']) {
      assert.match(res.stdout, new RegExp(`\\[e2e\\] OK   ${step.replace('/', '\\/')}`));
    }
    assert.match(res.stdout, /PASSED/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), 'the server is gone');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(port, '127.0.0.1', r));
    try {
      const clash = await runCli(['e2e', '--port', String(port)], { cwd });
      assert.equal(clash.code, 1);
      assert.match(clash.stdout, /port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      busy.close();
    }
  });
});
