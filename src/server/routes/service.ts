import { arch, platform, release } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { VersionJson } from '../../contract.js';
import { getGitInfo } from '../../tracking/git.js';
import { PACKAGE } from '../../version.js';
import type { ServerDeps } from '../deps.js';
import { git } from '../schemas.js';

/** Liveness, build and model identity, and Prometheus metrics. */
export async function serviceRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { cache, metrics, settings, modelName } = deps;
  const build = {
    service: 'balanceops-api' as const,
    package: { name: PACKAGE.name, version: PACKAGE.version },
    git: getGitInfo(settings.cwd),
    runtime: {
      name: 'node',
      version: process.versions.node,
      platform: platform(),
      release: release(),
      arch: arch(),
    },
  };

  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness',
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    (_request, reply) => reply.send({ status: 'ok' }),
  );

  app.get(
    '/version',
    {
      schema: {
        tags: ['service'],
        summary: 'Build info and what the current model expects; 200 even when no model is loadable',
        response: {
          200: {
            type: 'object',
            properties: {
              service: { type: 'string' },
              package: {
                type: 'object',
                properties: { name: { type: 'string' }, version: { type: 'string' } },
              },
              git,
              runtime: { type: 'object', additionalProperties: { type: 'string' } },
              expected_n_features: { type: ['integer', 'null'] },
              model_type: { type: ['string', 'null'] },
              feature_names: { type: ['array', 'null'], items: { type: 'string' } },
              record_columns: { type: ['array', 'null'], items: { type: 'string' } },
              model: {
                type: ['object', 'null'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'integer' },
                  run_id: { type: ['string', 'null'] },
                  path: { type: 'string' },
                  loaded_at: { type: 'string' },
                },
              },
              model_error: { type: 'string' },
            },
          },
        },
      },
    },
    async () => {
      const served = await cache.current();
      const body: VersionJson = {
        ...build,
        expected_n_features: served?.predictor.nFeatures ?? null,
        model_type: served?.predictor.type ?? null,
        feature_names: served?.predictor.featureNames ? [...served.predictor.featureNames] : null,
        record_columns: served?.predictor.recordColumns ? [...served.predictor.recordColumns] : null,
        model:
          served === null
            ? null
            : {
                name: modelName,
                version: served.version.version,
                run_id: served.version.runId,
                path: served.path,
                loaded_at: served.loadedAt,
              },
      };
      if (cache.stats.lastError !== null) body.model_error = cache.stats.lastError;
      else if (served === null) body.model_error = 'No current model promoted yet.';
      return body;
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['service'], summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      void reply.header('content-type', metrics.registry.contentType);
      return metrics.render();
    },
  );
}
