import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ModelRegistry } from '../src/registry/registry.js';
import { buildApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { Tracker } from '../src/tracking/tracker.js';
import { demoRun } from '../src/training/demo.js';
import { trainDummy } from '../src/training/train-dummy.js';
import { runCli, sandboxEnv, sandboxSettings, startCliServer, tempDir } from './helpers.js';

// Property: whatever a client sends, the server answers below 500 with a well-formed body, and stays up.
// The seed is printed on failure by fast-check; set BALANCEOPS_FUZZ_RUNS for a longer campaign.
const RUNS = Number(process.env.BALANCEOPS_FUZZ_RUNS ?? 150);

const ROUTES = [
  '/health',
  '/version',
  '/model',
  '/runs',
  '/runs/latest',
  '/runs/{id}',
  '/runs/{id}/metrics',
  '/runs/{id}/artifacts/download',
  '/meta',
  '/predict',
  '/predict/batch',
  '/models',
  '/models/history',
  '/models/promote',
  '/models/rollback',
  '/metrics',
  '/openapi.json',
];

const hostileSegment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '..',
    '../..',
    '%2e%2e%2f',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    'latest',
    '',
    ' ',
    '\u0000',
    '😀',
    'a'.repeat(300),
  ),
  fc.uuid(),
);

const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -0, 5e-324));
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ features: fc.oneof(fc.array(number, { maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })) }),
  fc.record({ features: fc.array(number, { minLength: 8, maxLength: 8 }) }),
  fc.record({
    record: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }),
  }),
  fc.record({ instances: fc.array(fc.array(number, { maxLength: 10 }), { maxLength: 5 }) }),
  fc.record({
    run_id: fc.oneof(hostileSegment, fc.jsonValue({ maxDepth: 1 })),
    name: fc.jsonValue({ maxDepth: 1 }),
  }),
);

const body = fc.oneof(
  jsonish.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{"features": [1e400]}',
    '{"features": [NaN]}',
    '{"__proto__": {"x": 1}}',
    '{',
    '[]',
    'null',
    '"',
    '\u0000',
  ),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  route: fc.constantFrom(...ROUTES),
  segment: hostileSegment,
  query: fc.dictionary(
    fc.constantFrom(
      'limit',
      'offset',
      'include_metrics',
      'search',
      'kind',
      'status',
      'dirty',
      'sort',
      'order',
      'with_total',
      'keys',
      'path',
      'name',
      'x',
    ),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom('true', 'false', '-1', '1e400', 'NaN', 'metric:bal_acc'),
    ),
    { maxKeys: 4 },
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  ),
  body: fc.option(body, { nil: undefined }),
  token: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function toInject(r: FuzzRequest, runId: string): InjectOptions {
  const segment = r.segment === 'latest' ? runId : encodeURIComponent(r.segment);
  const path = r.route.replace('{id}', Math.random() < 0.3 ? runId : segment);
  const headers: Record<string, string> = {};
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.token !== undefined) headers.authorization = `Bearer ${r.token}`;
  const withBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
  return {
    method: r.method as InjectOptions['method'],
    url: path,
    query: r.query,
    headers,
    ...(withBody ? { payload: r.body } : {}),
  };
}

function checkResponse(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  method: string,
): void {
  assert.ok(res.statusCode < 500, `${res.statusCode}: ${res.body.slice(0, 300)}`);
  assert.ok(res.headers['x-request-id'], 'every response carries X-Request-ID');
  if (res.statusCode >= 400 && method !== 'HEAD') {
    const parsed = JSON.parse(res.body) as {
      ok: boolean;
      error: { code: string; message: string };
      request_id: string;
    };
    assert.equal(parsed.ok, false);
    assert.equal(typeof parsed.error.code, 'string');
    assert.equal(typeof parsed.error.message, 'string');
    assert.equal(parsed.request_id, res.headers['x-request-id']);
  }
}

describe('fuzzing every endpoint (fast-check)', () => {
  let app: FastifyInstance;
  let store: SqliteStore;
  let runId = '';
  before(async () => {
    const settings = sandboxSettings(tempDir(), { BALANCEOPS_API_TOKEN: 'fuzz-token' });
    store = new SqliteStore(settings.db.kind === 'sqlite' ? settings.db.path : '');
    runId = (await demoRun(new Tracker(store, settings))).run_id;
    await trainDummy(new Tracker(store, settings), new ModelRegistry(store, settings));
    app = await buildApp({ settings, store, logger: false });
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it(`never answers 5xx and always with a well-formed body (${RUNS} requests per property)`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await app.inject(toInject(r, runId));
        checkResponse(res, r.method);
      }),
      { numRuns: RUNS * ROUTES.length },
    );
    assert.equal((await app.inject('/health')).statusCode, 200);
  });

  it('keeps predicting correctly after the storm', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/predict',
      payload: { features: [0, 0, 0, 0, 0, 0, 0, 0] },
    });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().p_win > 0 && res.json().p_win < 1);
  });
});

describe('fuzzing a real server process over HTTP', () => {
  it('stays up and below 5xx under random requests', async () => {
    const cwd = tempDir();
    const env = sandboxEnv(cwd);
    const trained = await runCli(['train-dummy'], { cwd, env });
    assert.equal(trained.code, 0, trained.stderr);
    const server = await startCliServer(['serve', '--log-level', 'error'], { cwd, env });
    try {
      const samples = fc.sample(request, { numRuns: RUNS * 2, seed: 42 });
      for (const r of samples) {
        const opts = toInject(r, 'latest');
        const url = new URL(String(opts.url), server.url);
        for (const [k, v] of Object.entries((opts.query ?? {}) as Record<string, string>))
          url.searchParams.set(k, v);
        const res = await fetch(url, {
          method: String(opts.method),
          headers: opts.headers as Record<string, string>,
          body: opts.payload as string | undefined,
        });
        checkResponse(
          { statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() },
          String(opts.method),
        );
      }
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
      assert.equal(server.child.exitCode, null, 'the process is still running');
    } finally {
      await server.stop();
    }
  });
});
