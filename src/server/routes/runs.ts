import { createReadStream, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { displayDatabase, displayPath, resolveStoredPath } from '../../config.js';
import { BalanceOpsError } from '../../errors.js';
import type { RunSortField, RunStatus } from '../../store/types.js';
import { isInside } from '../../util/paths.js';
import type { ServerDeps } from '../deps.js';
import { errors, metricHistory, runDetail, runIdParams, runsPage, runsQuery } from '../schemas.js';

export const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

interface RunsQuery {
  limit: number;
  offset: number;
  include_metrics: boolean;
  search?: string;
  kind?: string;
  status?: RunStatus;
  dirty?: boolean;
  sort: RunSortField | `metric:${string}`;
  order: 'asc' | 'desc';
  with_total: boolean;
}

/** Run listing, detail, metric histories and artifact downloads: the read side of tracking. */
export async function runRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { reader, store, settings } = deps;

  app.get<{ Querystring: RunsQuery }>(
    '/runs',
    {
      schema: {
        tags: ['runs'],
        summary: 'A page of runs, newest first (or sorted by a field or a metric), with filters and search',
        querystring: runsQuery,
        response: { 200: runsPage, ...errors(422) },
      },
    },
    async (request) => {
      const q = request.query;
      return reader.listRuns({
        limit: q.limit,
        offset: q.offset,
        includeMetrics: q.include_metrics,
        search: q.search,
        kind: q.kind,
        status: q.status,
        dirty: q.dirty,
        sort: q.sort,
        order: q.order,
        withTotal: q.with_total,
      });
    },
  );

  app.get(
    '/runs/latest',
    {
      schema: {
        tags: ['runs'],
        summary: 'Detail of the newest run (the _latest.json pointer first, the database second)',
        response: { 200: runDetail, ...errors(404) },
      },
    },
    async () => {
      const runId = await reader.latestRunId();
      if (runId === null) {
        throw new BalanceOpsError('RUN_NOT_FOUND', 'No runs found.', {
          hint: 'Run `npx balanceops demo-run` to create one.',
        });
      }
      return reader.getRun(runId);
    },
  );

  app.get<{ Params: { run_id: string } }>(
    '/runs/:run_id',
    {
      schema: {
        tags: ['runs'],
        summary: 'Params, latest metrics, artifacts and manifest of one run',
        params: runIdParams,
        response: { 200: runDetail, ...errors(404) },
      },
    },
    async (request) => reader.getRun(request.params.run_id),
  );

  app.get<{ Params: { run_id: string }; Querystring: { keys?: string } }>(
    '/runs/:run_id/metrics',
    {
      schema: {
        tags: ['runs'],
        summary: "Every logged point of a run's metrics (all, or the comma-separated `keys`), in step order",
        params: runIdParams,
        querystring: {
          type: 'object',
          properties: { keys: { type: 'string', maxLength: 5000 } },
          additionalProperties: false,
        },
        response: { 200: metricHistory, ...errors(404, 422) },
      },
    },
    async (request) => {
      const keys = request.query.keys
        ?.split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '');
      return reader.metricHistory(request.params.run_id, keys);
    },
  );

  app.get<{ Params: { run_id: string }; Querystring: { path: string } }>(
    '/runs/:run_id/artifacts/download',
    {
      schema: {
        tags: ['runs'],
        summary: `Download one of a run's recorded artifact files (up to ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB, inside the artifacts root)`,
        params: runIdParams,
        querystring: {
          type: 'object',
          properties: { path: { type: 'string', minLength: 1, maxLength: 4096 } },
          required: ['path'],
          additionalProperties: false,
        },
        response: { ...errors(403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const { run_id: runId } = request.params;
      const detail = await reader.getRun(runId);
      const artifact = detail.artifacts.find((a) => a.path === request.query.path);
      if (artifact === undefined) {
        throw new BalanceOpsError('ARTIFACT_NOT_FOUND', `run ${runId} has no artifact ${request.query.path}`);
      }
      const located = resolveStoredPath(settings, artifact.path);
      let real: string;
      let root: string;
      try {
        real = realpathSync(located);
        root = realpathSync(settings.artifactsDir);
      } catch {
        throw new BalanceOpsError('ARTIFACT_NOT_FOUND', `artifact ${artifact.path} is no longer on disk`);
      }
      // Only files under the artifacts root are served, whatever a run recorded (symlinks resolved first).
      if (!isInside(root, real)) {
        throw new BalanceOpsError(
          'FORBIDDEN',
          `artifact ${artifact.path} lies outside the artifacts root and is not served`,
        );
      }
      const st = statSync(real);
      if (!st.isFile())
        throw new BalanceOpsError('ARTIFACT_NOT_FOUND', `artifact ${artifact.path} is not a file`);
      if (st.size > MAX_DOWNLOAD_BYTES) {
        throw new BalanceOpsError(
          'ARTIFACT_TOO_LARGE',
          `artifact ${artifact.path} is ${st.size} bytes; downloads stop at ${MAX_DOWNLOAD_BYTES}`,
        );
      }
      void reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', st.size)
        .header('content-disposition', `attachment; filename="${basename(real).replace(/[^\w.-]/g, '_')}"`);
      return reply.send(createReadStream(real));
    },
  );

  app.get(
    '/meta',
    {
      schema: {
        tags: ['runs'],
        summary: 'What the dashboard needs: metric keys, run kinds, model names, where things are stored',
        response: {
          200: {
            type: 'object',
            properties: {
              metric_keys: { type: 'array', items: { type: 'string' } },
              run_kinds: { type: 'array', items: { type: 'string' } },
              model_names: { type: 'array', items: { type: 'string' } },
              settings: {
                type: 'object',
                properties: {
                  db: { type: 'string' },
                  artifacts_dir: { type: 'string' },
                  current_model_path: { type: 'string' },
                  token_required: { type: 'boolean' },
                  max_download_bytes: { type: 'integer' },
                },
              },
            },
          },
        },
      },
    },
    async () => ({
      metric_keys: await store.listMetricKeys(),
      run_kinds: await store.listRunKinds(),
      model_names: await store.listModelNames(),
      settings: {
        db: displayDatabase(settings),
        artifacts_dir: displayPath(settings, settings.artifactsDir),
        current_model_path: displayPath(settings, settings.currentModelPath),
        token_required: settings.apiToken !== undefined,
        max_download_bytes: MAX_DOWNLOAD_BYTES,
      },
    }),
  );
}
