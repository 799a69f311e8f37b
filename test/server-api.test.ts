import assert from 'node:assert/strict';
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../src/config.js';
import { ModelRegistry } from '../src/registry/registry.js';
import { buildApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Tracker } from '../src/tracking/tracker.js';
import { readDatasetSpec } from '../src/training/datasets/spec.js';
import { demoRun } from '../src/training/demo.js';
import { trainDummy } from '../src/training/train-dummy.js';
import { trainTabular } from '../src/training/train-tabular.js';
import { REPO_ROOT, sandboxSettings, tempDir } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Sandbox {
  settings: Settings;
  store: SqliteStore;
  app: FastifyInstance;
}

async function sandbox(
  seed: (s: Settings, store: SqliteStore) => Promise<void>,
  extraEnv: Record<string, string> = {},
): Promise<Sandbox> {
  const settings = sandboxSettings(tempDir(), extraEnv);
  const dbPath = settings.db.kind === 'sqlite' ? settings.db.path : '';
  const seeding = new SqliteStore(dbPath);
  await seed(settings, seeding);
  await seeding.close();
  const store = new SqliteStore(dbPath);
  const app = await buildApp({ settings, store, logger: false });
  return { settings, store, app };
}

async function close(s: Sandbox): Promise<void> {
  await s.app.close();
  await s.store.close();
}

const post = (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { 'content-type': 'application/json', ...headers },
  });

function assertEnvelope(
  res: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  code: string,
) {
  assert.equal(res.statusCode, status);
  const body = res.json() as { ok: boolean; error: { code: string; message: string }; request_id: string };
  assert.equal(body.ok, false);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.equal(body.request_id, res.headers['x-request-id']);
  return body;
}

describe('HTTP API with a trained model', () => {
  let s: Sandbox;
  let trainedRun = '';
  let demoRunId = '';
  before(async () => {
    s = await sandbox(async (settings, store) => {
      demoRunId = (await demoRun(new Tracker(store, settings))).run_id;
      trainedRun = (await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings)))
        .run_id;
    });
  });
  after(() => close(s));

  it('answers /health and /version with build info and what the model expects', async () => {
    assert.deepEqual((await s.app.inject('/health')).json(), { status: 'ok' });
    const v = (await s.app.inject('/version')).json();
    assert.equal(v.service, 'balanceops-api');
    assert.equal(v.package.name, 'balanceops');
    assert.ok('commit' in v.git && 'branch' in v.git && 'dirty' in v.git);
    assert.equal(v.runtime.name, 'node');
    assert.equal(v.expected_n_features, 8);
    assert.equal(v.model_type, 'dummy');
    assert.equal(v.model.run_id, trainedRun);
    assert.equal(v.model_error, undefined);
  });

  it('answers /model with the original row shape', async () => {
    const m = (await s.app.inject('/model')).json();
    assert.equal(m.name, 'balance_model');
    assert.equal(m.stage, 'current');
    assert.equal(m.run_id, trainedRun);
    assert.deepEqual(Object.keys(JSON.parse(m.metrics_json)).sort(), ['acc', 'bal_acc', 'recall_1']);
    assert.ok(m.path.endsWith('current.json'));
  });

  it('pages /runs newest first with metrics and validates the query', async () => {
    const page = (await s.app.inject('/runs?limit=1&offset=0')).json();
    assert.deepEqual(Object.keys(page).sort(), ['count', 'items', 'limit', 'offset']);
    assert.equal(page.count, 1);
    assert.equal(page.items[0].run_id, trainedRun);
    assert.equal(page.items[0].kind, 'train_dummy');
    assert.ok(page.items[0].run_dir_name.endsWith(trainedRun.slice(0, 8)));
    assert.equal(typeof page.items[0].metrics.bal_acc, 'number');
    const noMetrics = (await s.app.inject('/runs?include_metrics=false&with_total=true')).json();
    assert.equal(noMetrics.items[0].metrics, undefined);
    assert.equal(noMetrics.total, 2);
    const sorted = (await s.app.inject('/runs?sort=metric:bal_acc&order=desc')).json();
    assert.equal(sorted.items[0].run_id, demoRunId, 'demo bal_acc 0.88 beats the dummy model');
    const filtered = (await s.app.inject('/runs?kind=demo&search=wiring&unknown_param=ignored')).json();
    assert.deepEqual(
      filtered.items.map((r: { run_id: string }) => r.run_id),
      [demoRunId],
    );
    for (const bad of [
      'limit=0',
      'limit=201',
      'offset=-1',
      'limit=abc',
      'include_metrics=maybe',
      'sort=drop%20table',
      'order=up',
    ]) {
      assertEnvelope(await s.app.inject(`/runs?${bad}`), 422, 'VALIDATION_ERROR');
    }
  });

  it('answers /runs/latest, /runs/{id}, metric histories, and 404s unknown runs', async () => {
    const latest = (await s.app.inject('/runs/latest')).json();
    assert.equal(latest.run_id, trainedRun);
    const demo = (await s.app.inject(`/runs/${demoRunId}`)).json();
    assert.deepEqual(demo.params, { seed: 42 });
    assert.equal(demo.metrics.acc, 0.9);
    assert.equal(demo.manifest.run_id, demoRunId);
    const trained = (await s.app.inject(`/runs/${trainedRun}`)).json();
    assert.ok(
      trained.artifacts.some(
        (a: { kind: string; exists: boolean }) => a.kind === 'model_candidate' && a.exists,
      ),
    );
    const history = (await s.app.inject(`/runs/${demoRunId}/metrics?keys=loss`)).json();
    assert.equal(history.metrics.loss.length, 20);
    assert.deepEqual(Object.keys(history.metrics), ['loss']);
    for (const id of ['not-a-run-id', '00000000-0000-4000-8000-000000000000', '..%2F..%2Fetc%2Fpasswd']) {
      assertEnvelope(await s.app.inject(`/runs/${id}`), 404, 'RUN_NOT_FOUND');
    }
  });

  it('keeps the client X-Request-ID, or makes a UUID', async () => {
    const mine = await s.app.inject({ url: '/health', headers: { 'x-request-id': 'trace-abc-123' } });
    assert.equal(mine.headers['x-request-id'], 'trace-abc-123');
    const fresh = await s.app.inject('/health');
    assert.match(String(fresh.headers['x-request-id']), UUID);
    const hostile = await s.app.inject({ url: '/nope', headers: { 'x-request-id': 'a b\tc' } });
    assert.match(String(hostile.headers['x-request-id']), UUID);
    assertEnvelope(hostile, 404, 'NOT_FOUND');
  });

  it('predicts, and reports a wrong length with the expected size (envelope and legacy shape)', async () => {
    const res = await post(s.app, '/predict', { features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] });
    assert.equal(res.statusCode, 200);
    const p = res.json().p_win;
    assert.ok(p > 0 && p < 1);
    const again = await post(s.app, '/predict', { features: [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9] });
    assert.equal(again.json().p_win, p, 'deterministic');
    const body = assertEnvelope(
      await post(s.app, '/predict', { features: [1, 2, 3] }),
      400,
      'FEATURE_SIZE_MISMATCH',
    ) as unknown as {
      error: { details: unknown };
      detail: unknown;
    };
    assert.deepEqual(body.error.details, { expected_n_features: 8, got_n_features: 3 });
    assert.deepEqual(body.detail, {
      error: 'feature_size_mismatch',
      expected_n_features: 8,
      got_n_features: 3,
    });
  });

  it('answers bad bodies with a 4xx envelope, never a 5xx', async () => {
    const eight = [1, 2, 3, 4, 5, 6, 7, 8];
    const invalid: unknown[] = [
      {},
      { features: 'abc' },
      { features: [1, '2', 3, 4, 5, 6, 7, 8] },
      { features: [[1, 2], 3, 4, 5, 6, 7, 8, 9] },
      { features: null },
      { features: [true, 2, 3, 4, 5, 6, 7, 8] },
      { features: eight, record: { a: 1 } },
      { record: { a: 1 } },
      [1, 2, 3],
      JSON.stringify('features'),
      42,
    ];
    for (const payload of invalid) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/predict',
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 422, `${JSON.stringify(payload)} -> ${res.body}`);
      assertEnvelope(res, 422, 'VALIDATION_ERROR');
    }
    const raw = (payload: string, type = 'application/json') =>
      s.app.inject({ method: 'POST', url: '/predict', payload, headers: { 'content-type': type } });
    assertEnvelope(await raw('{"features": [1e400, 2, 3, 4, 5, 6, 7, 8]}'), 422, 'VALIDATION_ERROR');
    assertEnvelope(await raw('{"features": [1, 2,'), 400, 'BAD_REQUEST');
    assertEnvelope(await raw(''), 400, 'BAD_REQUEST');
    assertEnvelope(
      await raw('features=1', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const huge = JSON.stringify({ features: Array.from({ length: 200_000 }, () => 0.123456789) });
    assertEnvelope(await raw(huge), 413, 'PAYLOAD_TOO_LARGE');
    assertEnvelope(await s.app.inject({ method: 'GET', url: '/predict' }), 404, 'NOT_FOUND');
    assertEnvelope(await s.app.inject({ method: 'DELETE', url: '/runs' }), 404, 'NOT_FOUND');
  });

  it('scores batches and names the first row of the wrong length', async () => {
    const rows = [
      [0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ];
    const res = await post(s.app, '/predict/batch', { instances: rows });
    assert.equal(res.statusCode, 200);
    const single = await Promise.all(
      rows.map(async (r) => (await post(s.app, '/predict', { features: r })).json().p_win),
    );
    assert.deepEqual(res.json().p_win, single);
    const bad = assertEnvelope(
      await post(s.app, '/predict/batch', { instances: [rows[0], [1, 2]] }),
      400,
      'FEATURE_SIZE_MISMATCH',
    );
    assert.equal((bad.error as unknown as { details: { row: number } }).details.row, 1);
    assertEnvelope(await post(s.app, '/predict/batch', { instances: [] }), 422, 'VALIDATION_ERROR');
    assertEnvelope(await post(s.app, '/predict/batch', {}), 422, 'VALIDATION_ERROR');
    const tooMany = Array.from({ length: 10_001 }, () => [0]);
    assertEnvelope(await post(s.app, '/predict/batch', { instances: tooMany }), 422, 'VALIDATION_ERROR');
  });

  it('publishes OpenAPI, interactive docs and Prometheus metrics', async () => {
    const spec = (await s.app.inject('/openapi.json')).json();
    assert.equal(spec.openapi, '3.0.3');
    for (const path of [
      '/health',
      '/version',
      '/model',
      '/runs',
      '/runs/{run_id}',
      '/predict',
      '/predict/batch',
      '/models/promote',
    ]) {
      assert.ok(spec.paths[path], `OpenAPI lacks ${path}`);
    }
    const docs = await s.app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
    const metrics = (await s.app.inject('/metrics')).body;
    assert.match(metrics, /^balanceops_predictions_total\{service="balanceops-api"\} \d+/m);
    assert.match(metrics, /balanceops_http_requests_total\{method="POST",route="\/predict",status="200"/);
    assert.match(
      metrics,
      /balanceops_model_version\{name="balance_model",run_id="[^"]+",model_type="dummy",service="balanceops-api"\} 1/,
    );
    assert.match(metrics, /balanceops_model_load_failures_total\{service="balanceops-api"\} 0/);
  });
});

describe('HTTP API without a model', () => {
  let s: Sandbox;
  before(async () => {
    s = await sandbox(async () => undefined);
  });
  after(() => close(s));

  it('still answers /version (expected_n_features null, model_error), /model as {} and /predict 404', async () => {
    const v = (await s.app.inject('/version')).json();
    assert.equal(v.expected_n_features, null);
    assert.equal(v.model_type, null);
    assert.equal(typeof v.model_error, 'string');
    assert.deepEqual((await s.app.inject('/model')).json(), {});
    assertEnvelope(await post(s.app, '/predict', { features: [1] }), 404, 'NO_CURRENT_MODEL');
    assertEnvelope(await s.app.inject('/runs/latest'), 404, 'RUN_NOT_FOUND');
    assert.deepEqual((await s.app.inject('/runs')).json().items, []);
  });
});

describe('HTTP API model loading', () => {
  it('keeps serving the previous model when a new one fails to load, and reports it', async () => {
    let v2Path = '';
    const s = await sandbox(async (settings, store) => {
      const registry = new ModelRegistry(store, settings);
      await trainDummy(new Tracker(store, settings), registry, { seed: 1 });
    });
    try {
      const x = { features: [1, 1, 1, 1, 1, 1, 1, 1] };
      const before = (await post(s.app, '/predict', x)).json().p_win;
      // another process promotes v2, then its files vanish before this server loads it
      const other = new SqliteStore(s.settings.db.kind === 'sqlite' ? s.settings.db.path : '');
      const result = await trainDummy(new Tracker(other, s.settings), new ModelRegistry(other, s.settings), {
        seed: 2,
        autoPromote: false,
      });
      const v2 = await other.findVersionByRunId('balance_model', result.run_id);
      assert.ok(v2 !== null);
      await new ModelRegistry(other, s.settings).promote(v2, { reason: 't' });
      await other.close();
      v2Path = join(s.settings.cwd, result.candidate_path);
      rmSync(v2Path);
      rmSync(s.settings.currentModelPath);
      const res = await post(s.app, '/predict', x);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().p_win, before, 'the previous model still serves');
      const v = (await s.app.inject('/version')).json();
      assert.match(v.model_error, /missing/);
      assert.equal(v.model.version, 1);
      assert.match(
        (await s.app.inject('/metrics')).body,
        /balanceops_model_load_failures_total\{service="balanceops-api"\} [1-9]/,
      );
    } finally {
      await close(s);
    }
  });

  it('serves the canonical copy when the current model file is gone, and 500s when nothing is loadable', async () => {
    let candidate = '';
    const s = await sandbox(async (settings, store) => {
      const r = await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings));
      candidate = join(settings.cwd, r.candidate_path);
      rmSync(candidate);
    });
    try {
      assert.equal((await post(s.app, '/predict', { features: [0, 0, 0, 0, 0, 0, 0, 0] })).statusCode, 200);
      assert.equal((await s.app.inject('/version')).json().model.path, s.settings.currentModelPath);
    } finally {
      await close(s);
    }
    rmSync(s.settings.currentModelPath);
    const store = new SqliteStore(s.settings.db.kind === 'sqlite' ? s.settings.db.path : '');
    const app = await buildApp({ settings: s.settings, store, logger: false });
    try {
      assertEnvelope(
        await post(app, '/predict', { features: [0, 0, 0, 0, 0, 0, 0, 0] }),
        500,
        'CURRENT_MODEL_LOAD_FAILED',
      );
      assert.equal((await app.inject('/version')).statusCode, 200);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('HTTP registry endpoints', () => {
  it('promote and rollback need the token when one is set, a local client when not', async () => {
    const runs: string[] = [];
    const s = await sandbox(
      async (settings, store) => {
        for (const seed of [1, 2]) {
          runs.push(
            (
              await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings), {
                seed,
                autoPromote: seed === 1,
              })
            ).run_id,
          );
        }
      },
      { BALANCEOPS_API_TOKEN: 's3cret-token' },
    );
    try {
      const body = { run_id: runs[1] };
      assertEnvelope(await post(s.app, '/models/promote', body), 401, 'UNAUTHORIZED');
      assertEnvelope(
        await post(s.app, '/models/promote', body, { authorization: 'Bearer wrong' }),
        401,
        'UNAUTHORIZED',
      );
      const ok = await post(s.app, '/models/promote', body, { authorization: 'Bearer s3cret-token' });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().version.run_id, runs[1]);
      assert.match(ok.json().event.actor, /^api:127\.0\.0\.1:/);
      assert.equal((await s.app.inject('/model')).json().run_id, runs[1]);
      assertEnvelope(
        await post(
          s.app,
          '/models/promote',
          { run_id: '00000000-0000-4000-8000-000000000000' },
          { authorization: 'Bearer s3cret-token' },
        ),
        404,
        'RUN_NOT_FOUND',
      );
      const back = await post(s.app, '/models/rollback', {}, { authorization: 'Bearer s3cret-token' });
      assert.equal(back.json().version.run_id, runs[0]);
      assertEnvelope(
        await post(s.app, '/models/rollback', {}, { authorization: 'Bearer s3cret-token' }),
        409,
        'NO_PREVIOUS_MODEL',
      );
      const history = (await s.app.inject('/models/history')).json();
      assert.deepEqual(history.events.map((e: { action: string }) => e.action).slice(0, 2), [
        'rollback',
        'promote',
      ]);
      const models = (await s.app.inject('/models')).json();
      assert.equal(models.versions.length, 2);
    } finally {
      await close(s);
    }

    const open = await sandbox(async (settings, store) => {
      await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings));
    });
    try {
      const remote = await open.app.inject({
        method: 'POST',
        url: '/models/rollback',
        payload: {},
        remoteAddress: '10.1.2.3',
      });
      assertEnvelope(remote, 403, 'FORBIDDEN');
      const local = await post(open.app, '/models/rollback', {});
      assertEnvelope(local, 409, 'NO_PREVIOUS_MODEL');
    } finally {
      await close(open);
    }
  });
});

describe('artifact downloads', () => {
  it('serves recorded files inside the artifacts root only, up to 50 MB', async () => {
    let runId = '';
    const files: Record<string, string> = {};
    const s = await sandbox(async (settings, store) => {
      const tracker = new Tracker(store, settings);
      const run = await tracker.startRun({ kind: 'files' });
      runId = run.runId;
      files.report = run.artifactPath('report.txt');
      writeFileSync(files.report, 'hello artifacts');
      files.big = run.artifactPath('big.bin');
      writeFileSync(files.big, '');
      truncateSync(files.big, 51 * 1024 * 1024);
      files.folder = run.artifactPath('folder');
      mkdirSync(files.folder);
      files.outside = join(settings.cwd, 'outside.txt');
      writeFileSync(files.outside, 'secret');
      await run.logArtifact('report', files.report);
      await run.logArtifact('big', files.big);
      await run.logArtifact('folder', files.folder);
      await run.logArtifact('outside', files.outside);
      await run.finish();
    });
    try {
      const detail = (await s.app.inject(`/runs/${runId}`)).json();
      const pathOf = (kind: string) =>
        detail.artifacts.find((a: { kind: string }) => a.kind === kind).path as string;
      const dl = (path: string) =>
        s.app.inject(`/runs/${runId}/artifacts/download?path=${encodeURIComponent(path)}`);
      const ok = await dl(pathOf('report'));
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.body, 'hello artifacts');
      assert.match(String(ok.headers['content-disposition']), /attachment; filename="report\.txt"/);
      assertEnvelope(await dl(pathOf('big')), 413, 'ARTIFACT_TOO_LARGE');
      assertEnvelope(await dl(pathOf('folder')), 404, 'ARTIFACT_NOT_FOUND');
      assertEnvelope(await dl(pathOf('outside')), 403, 'FORBIDDEN');
      for (const hostile of [
        '../../../etc/passwd',
        '/etc/passwd',
        files.outside ?? '',
        `${pathOf('report')}/../../../../outside.txt`,
      ]) {
        assertEnvelope(await dl(hostile), 404, 'ARTIFACT_NOT_FOUND');
      }
    } finally {
      await close(s);
    }
  });
});

describe('HTTP API with a tabular model', () => {
  it('serves raw records, predicts the same as the vector form, and reports the widened feature count', async () => {
    const s = await sandbox(async (settings, store) => {
      const spec = readDatasetSpec(join(REPO_ROOT, 'examples', 'credit-risk', 'dataset.json'), settings.cwd);
      await trainTabular(new Tracker(store, settings), new ModelRegistry(store, settings), spec);
    });
    try {
      const v = (await s.app.inject('/version')).json();
      assert.equal(v.model_type, 'tabular_logistic');
      assert.equal(v.expected_n_features, v.feature_names.length);
      assert.ok(v.expected_n_features > v.record_columns.length, 'one-hot widened the vector');
      const record: Record<string, number | string> = {
        age: 44,
        employment_years: 8.1,
        annual_income: 131571,
        loan_amount: 33855,
        interest_rate: 0.19,
        debt_to_income: 0.251,
        delinquencies: 0,
        credit_score: 649,
        home_ownership: 'RENT',
        purpose: 'medical',
      };
      const names = v.feature_names as string[];
      const vector = names.map((name) => {
        if (name in record) return Number(record[name]);
        const column = (v.record_columns as string[]).find(
          (c) => name.startsWith(`${c}_`) && typeof record[c] === 'string',
        );
        return column !== undefined && name === `${column}_${record[column]}` ? 1 : 0;
      });
      const byRecord = await post(s.app, '/predict', { record });
      const byVector = await post(s.app, '/predict', { features: vector });
      assert.equal(byRecord.statusCode, 200);
      assert.equal(byRecord.json().p_win, byVector.json().p_win);
      const batch = await post(s.app, '/predict/batch', {
        records: [record, { ...record, purpose: 'never-seen' }],
      });
      assert.equal(batch.json().p_win[0], byRecord.json().p_win);
      assert.equal(batch.json().p_win.length, 2);
      const missing = assertEnvelope(
        await post(s.app, '/predict', { record: { age: 44 } }),
        422,
        'VALIDATION_ERROR',
      );
      assert.match(missing.error.message, /missing columns: .*home_ownership/);
      const wrongType = assertEnvelope(
        await post(s.app, '/predict', { record: { ...record, age: 'old' } }),
        422,
        'VALIDATION_ERROR',
      );
      assert.match(wrongType.error.message, /'age'/);
      assertEnvelope(await post(s.app, '/predict', { features: [1, 2] }), 400, 'FEATURE_SIZE_MISMATCH');
    } finally {
      await close(s);
    }
  });
});
