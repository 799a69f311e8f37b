import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isBalanceOpsError } from '../src/errors.js';
import type { NewRun, Store } from '../src/store/types.js';

/**
 * The behaviour every {@link Store} backend must have. A backend's test file calls this with a factory
 * that returns a fresh, empty store.
 */
export function storeConformance(backend: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${backend}`, () => {
    let store: Store;
    let clock = Date.parse('2026-01-26T09:00:00.000Z');

    const newRun = (over: Partial<NewRun> = {}): NewRun => {
      clock += 1000;
      const runId = randomUUID();
      return {
        runId,
        createdAt: new Date(clock).toISOString(),
        kind: 'demo',
        note: null,
        runDirName: `dir_${runId.slice(0, 8)}`,
        git: { commit: null, branch: null, dirty: null },
        ...over,
      };
    };
    const create = async (over: Partial<NewRun> = {}) => {
      const run = newRun(over);
      await store.createRun(run);
      return run.runId;
    };

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates, reads and finishes a run', async () => {
      const run = newRun({ note: 'hello', git: { commit: 'abc', branch: 'main', dirty: true } });
      await store.createRun(run);
      const got = await store.getRun(run.runId);
      assert.deepEqual(got, {
        runId: run.runId,
        createdAt: run.createdAt,
        finishedAt: null,
        status: 'running',
        kind: 'demo',
        note: 'hello',
        runDirName: run.runDirName,
        git: { commit: 'abc', branch: 'main', dirty: true },
      });
      await store.finishRun(run.runId, 'failed', '2026-01-26T10:00:00.000Z');
      const finished = await store.getRun(run.runId);
      assert.equal(finished?.status, 'failed');
      assert.equal(finished?.finishedAt, '2026-01-26T10:00:00.000Z');
      assert.equal(await store.getRun(randomUUID()), null);
    });

    it('rejects a duplicate run id and writes to unknown runs', async () => {
      const run = newRun();
      await store.createRun(run);
      await assert.rejects(store.createRun(run));
      await assert.rejects(store.logMetrics(randomUUID(), [{ key: 'a', value: 1 }]), (err) =>
        isBalanceOpsError(err, 'RUN_NOT_FOUND'),
      );
    });

    it('round-trips params of any JSON type and overwrites by key', async () => {
      const id = await create();
      await store.logParams(id, { lr: 0.01, layers: [64, 32], name: 'x', flag: true, none: null });
      await store.logParams(id, { lr: 0.02 });
      assert.deepEqual(await store.getParams(id), {
        flag: true,
        layers: [64, 32],
        lr: 0.02,
        name: 'x',
        none: null,
      });
    });

    it('keeps every metric point and the latest value per key', async () => {
      const id = await create();
      await store.logMetrics(id, [
        { key: 'loss', value: 0.9, step: 0, timestamp: 1 },
        { key: 'loss', value: 0.5, step: 1, timestamp: 2 },
        { key: 'acc', value: 0.7, timestamp: 3 },
      ]);
      // a late point for an earlier step is history, not the latest value
      await store.logMetrics(id, [{ key: 'loss', value: 0.7, step: 0, timestamp: 4 }]);
      await store.logMetrics(id, [{ key: 'acc', value: 0.8, timestamp: 5 }]);
      const latest = (await store.getLatestMetrics([id])).get(id);
      assert.deepEqual(latest, { acc: 0.8, loss: 0.5 });
      const history = await store.getMetricHistory(id);
      assert.deepEqual(
        history.map((p) => [p.key, p.step, p.value]),
        [
          ['acc', null, 0.7],
          ['acc', null, 0.8],
          ['loss', 0, 0.9],
          ['loss', 0, 0.7],
          ['loss', 1, 0.5],
        ],
      );
      assert.deepEqual(
        (await store.getMetricHistory(id, ['acc'])).map((p) => p.value),
        [0.7, 0.8],
      );
      assert.deepEqual(await store.listMetricKeys(), ['acc', 'loss']);
    });

    it('maps runs without metrics to empty objects', async () => {
      const id = await create();
      const other = randomUUID();
      const latest = await store.getLatestMetrics([id, other]);
      assert.deepEqual(latest.get(id), {});
      assert.deepEqual(latest.get(other), {});
    });

    it('records artifacts once per kind and path', async () => {
      const id = await create();
      const art = {
        kind: 'model',
        path: 'a/b.json',
        size: 10,
        sha256: 'ff',
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      await store.logArtifact(id, art);
      await store.logArtifact(id, { ...art, size: 11 });
      await store.logArtifact(id, { ...art, kind: 'data', path: 'd.csv', size: null, sha256: null });
      assert.deepEqual(await store.listArtifacts(id), [
        { kind: 'data', path: 'd.csv', size: null, sha256: null, createdAt: art.createdAt },
        { ...art, size: 11 },
      ]);
    });

    it('pages runs newest first with filters, search and totals', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(
          await create({
            kind: i % 2 === 0 ? 'demo' : 'train_dummy',
            note: i === 3 ? 'the 100% special_run' : null,
            git: {
              commit: `c${i}`,
              branch: i === 5 ? 'feature/x' : 'main',
              dirty: i === 6 ? true : i === 0 ? null : false,
            },
          }),
        );
      }
      const newestFirst = [...ids].reverse();
      const page = await store.listRuns({ limit: 3, offset: 0, withTotal: true });
      assert.deepEqual(
        page.items.map((r) => r.runId),
        newestFirst.slice(0, 3),
      );
      assert.equal(page.total, 7);
      const page2 = await store.listRuns({ limit: 3, offset: 6 });
      assert.deepEqual(
        page2.items.map((r) => r.runId),
        newestFirst.slice(6),
      );
      assert.equal(page2.total, null);
      const asc = await store.listRuns({ limit: 2, offset: 0, order: 'asc' });
      assert.deepEqual(
        asc.items.map((r) => r.runId),
        ids.slice(0, 2),
      );

      const demo = await store.listRuns({ limit: 50, offset: 0, kind: 'demo', withTotal: true });
      assert.equal(demo.total, 4);
      assert.ok(demo.items.every((r) => r.kind === 'demo'));

      const dirty = await store.listRuns({ limit: 50, offset: 0, dirty: true });
      assert.deepEqual(
        dirty.items.map((r) => r.runId),
        [ids[6]],
      );
      const clean = await store.listRuns({ limit: 50, offset: 0, dirty: false, withTotal: true });
      assert.equal(clean.total, 6, 'unknown git state counts as clean');

      // search is case-insensitive and takes % and _ literally
      const bySpecial = await store.listRuns({ limit: 50, offset: 0, search: '100% SPECIAL_' });
      assert.deepEqual(
        bySpecial.items.map((r) => r.runId),
        [ids[3]],
      );
      assert.equal((await store.listRuns({ limit: 50, offset: 0, search: '%' })).items.length, 1);
      const byBranch = await store.listRuns({ limit: 50, offset: 0, search: 'feature/' });
      assert.deepEqual(
        byBranch.items.map((r) => r.runId),
        [ids[5]],
      );
      const byId = await store.listRuns({ limit: 50, offset: 0, search: ids[2]?.slice(0, 13) ?? '' });
      assert.deepEqual(
        byId.items.map((r) => r.runId),
        [ids[2]],
      );
      const byKind = await store.listRuns({ limit: 50, offset: 0, search: 'TRAIN_dummy', withTotal: true });
      assert.equal(byKind.total, 3);
      const byStatus = await store.listRuns({ limit: 50, offset: 0, status: 'running', withTotal: true });
      assert.equal(byStatus.total, 7);
      assert.deepEqual(await store.listRunKinds(), ['demo', 'train_dummy']);
      assert.equal(await store.latestRunId(), ids[6]);
    });

    it('sorts runs by a metric, runs without it last, with and without filters', async () => {
      const values = [0.5, undefined, 0.9, 0.1, undefined, 0.7];
      const ids: string[] = [];
      for (const [i, v] of values.entries()) {
        const id = await create({ kind: i < 3 ? 'a' : 'b' });
        if (v !== undefined) await store.logMetrics(id, [{ key: 'bal_acc', value: v }]);
        ids.push(id);
      }
      const byMetric = async (q: {
        order?: 'asc' | 'desc';
        kind?: string;
        offset?: number;
        limit?: number;
      }) =>
        (
          await store.listRuns({ limit: q.limit ?? 50, offset: q.offset ?? 0, sort: 'metric:bal_acc', ...q })
        ).items.map((r) => ids.indexOf(r.runId));
      assert.deepEqual(await byMetric({}), [2, 5, 0, 3, 4, 1]);
      assert.deepEqual(await byMetric({ order: 'asc' }), [3, 0, 5, 2, 1, 4]);
      // pages that straddle the end of the runs having the metric
      assert.deepEqual(await byMetric({ offset: 3, limit: 2 }), [3, 4]);
      assert.deepEqual(await byMetric({ offset: 5, limit: 2 }), [1]);
      assert.deepEqual(await byMetric({ kind: 'a' }), [2, 0, 1]);
      assert.deepEqual(await byMetric({ kind: 'b', order: 'asc' }), [3, 5, 4]);
      const byKind = await store.listRuns({ limit: 50, offset: 0, sort: 'kind', order: 'asc' });
      assert.deepEqual(
        byKind.items.map((r) => r.kind),
        ['a', 'a', 'a', 'b', 'b', 'b'],
      );
    });

    it('numbers model versions per name and finds them by run', async () => {
      const runA = await create();
      const base = {
        modelType: 'dummy',
        sha256: 'aa',
        metrics: { bal_acc: 0.8 },
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      const v1 = await store.registerVersion({ ...base, name: 'm', runId: runA, path: 'p1' });
      const v2 = await store.registerVersion({ ...base, name: 'm', runId: null, path: 'p2' });
      const o1 = await store.registerVersion({ ...base, name: 'other', runId: runA, path: 'p3' });
      assert.deepEqual([v1.version, v2.version, o1.version], [1, 2, 1]);
      assert.equal(v1.runId, runA);
      assert.deepEqual(v1.metrics, { bal_acc: 0.8 });
      assert.deepEqual(await store.getVersion('m', 2), v2);
      assert.deepEqual(await store.getVersionById(v1.id), v1);
      assert.deepEqual(await store.findVersionByRunId('m', runA), v1);
      assert.equal(await store.findVersionByRunId('m', randomUUID()), null);
      assert.deepEqual(
        (await store.listVersions('m')).map((v) => v.version),
        [2, 1],
      );
      assert.deepEqual(await store.listModelNames(), ['m', 'other']);
      await assert.rejects(
        store.registerVersion({ ...base, name: 'm', runId: randomUUID(), path: 'x' }),
        (err) => isBalanceOpsError(err, 'RUN_NOT_FOUND'),
      );
    });

    it('moves the current pointer only from the expected version, with an event and a new epoch', async () => {
      const base = {
        runId: null,
        modelType: 'dummy',
        sha256: 'aa',
        metrics: {},
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      const v1 = await store.registerVersion({ ...base, name: 'm', path: 'p1' });
      const v2 = await store.registerVersion({ ...base, name: 'm', path: 'p2' });
      assert.equal(await store.getCurrent('m'), null);
      const epoch0 = await store.registryEpoch();
      const change = { name: 'm', actor: 'test', createdAt: '2026-01-02T00:00:00.000Z' };
      const e1 = await store.setCurrent({
        ...change,
        action: 'promote',
        toVersionId: v1.id,
        expectedFromVersionId: null,
        reason: 'first',
      });
      assert.equal(e1?.toVersion, 1);
      assert.equal(e1?.fromVersion, null);
      const stale = await store.setCurrent({
        ...change,
        action: 'promote',
        toVersionId: v2.id,
        expectedFromVersionId: null,
        reason: 'lost race',
      });
      assert.equal(stale, null);
      assert.equal((await store.getCurrent('m'))?.version.id, v1.id);
      await store.setCurrent({
        ...change,
        action: 'promote',
        toVersionId: v2.id,
        expectedFromVersionId: v1.id,
        reason: 'better',
      });
      await store.recordDecision({
        ...change,
        fromVersionId: v2.id,
        toVersionId: v1.id,
        reason: 'not enough',
      });
      const current = await store.getCurrent('m');
      assert.equal(current?.version.id, v2.id);
      assert.equal(current?.promotedAt, change.createdAt);
      assert.equal(await store.registryEpoch(), epoch0 + 2);
      assert.equal(current?.epoch, epoch0 + 2);
      const events = await store.listEvents('m');
      assert.deepEqual(
        events.map((e) => [e.action, e.fromVersion, e.toVersion, e.reason]),
        [
          ['decline', 2, 1, 'not enough'],
          ['promote', 1, 2, 'better'],
          ['promote', null, 1, 'first'],
        ],
      );
      assert.equal((await store.listEvents(undefined, 1)).length, 1);
    });

    it('signals registry changes made through another connection', async () => {
      const signal = await store.openChangeSignal();
      try {
        const before = signal.poll();
        assert.equal(signal.poll(), before, 'no change, same token');
        const v = await store.registerVersion({
          name: 'm',
          runId: null,
          modelType: 'dummy',
          path: 'p',
          sha256: 'aa',
          metrics: {},
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        await store.setCurrent({
          name: 'm',
          action: 'promote',
          toVersionId: v.id,
          expectedFromVersionId: null,
          reason: 'r',
          actor: 't',
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        // SQLite sees it at once; PostgreSQL's NOTIFY arrives over the network, promptly but not synchronously
        const deadline = Date.now() + 5000;
        while (signal.poll() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        assert.notEqual(signal.poll(), before);
      } finally {
        await signal.close();
      }
    });
  });
}
