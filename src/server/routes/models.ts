import type { FastifyInstance } from 'fastify';
import { promoteRun } from '../../registry/promote-run.js';
import { defaultActor, ModelRegistry } from '../../registry/registry.js';
import { mutationGuard } from '../auth.js';
import type { ServerDeps } from '../deps.js';
import { currentModel, errors, modelNameQuery, modelVersion, promotion, registryEvent } from '../schemas.js';

/** The registry over HTTP: the current model, versions, history, and (guarded) promote and rollback. */
export async function modelRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { store, settings, registry, modelName } = deps;
  const guard = mutationGuard(settings.apiToken);
  const nameOf = (q: { name?: string }) => q.name ?? modelName;
  // Registry changes made over HTTP are recorded with the client's address as the actor.
  const registryFor = (ip: string) =>
    new ModelRegistry(store, settings, { actor: defaultActor(`api:${ip}`) });

  app.get(
    '/model',
    {
      schema: {
        tags: ['models'],
        summary: 'The current model (or {} when none has been promoted)',
        response: { 200: currentModel },
      },
    },
    async () => (await registry.currentJson(modelName)) ?? {},
  );

  app.get<{ Querystring: { name?: string } }>(
    '/models',
    {
      schema: {
        tags: ['models'],
        summary: 'Every version of a model, newest first, and the current one',
        querystring: modelNameQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              current: { anyOf: [currentModel, { type: 'null' }] },
              versions: { type: 'array', items: modelVersion },
            },
          },
          ...errors(422),
        },
      },
    },
    async (request) => {
      const name = nameOf(request.query);
      return { name, current: await registry.currentJson(name), versions: await registry.listVersions(name) };
    },
  );

  app.get<{ Querystring: { name?: string; limit?: number } }>(
    '/models/history',
    {
      schema: {
        tags: ['models'],
        summary: 'Promotions, rollbacks and declined candidates, newest first',
        querystring: {
          type: 'object',
          properties: {
            ...modelNameQuery.properties,
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 200 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { name: { type: 'string' }, events: { type: 'array', items: registryEvent } },
          },
          ...errors(422),
        },
      },
    },
    async (request) => {
      const name = nameOf(request.query);
      return { name, events: await registry.history(name, request.query.limit) };
    },
  );

  app.post<{ Body: { run_id: string; name?: string } }>(
    '/models/promote',
    {
      onRequest: guard,
      schema: {
        tags: ['models'],
        summary: "Make a run's model current (bearer token, or a local client when no token is set)",
        security: [{ bearerAuth: [] }],
        body: {
          type: 'object',
          properties: {
            run_id: { type: 'string', minLength: 1, maxLength: 200 },
            name: modelNameQuery.properties.name,
          },
          required: ['run_id'],
          additionalProperties: false,
        },
        response: { 200: promotion, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      promoteRun(store, registryFor(request.ip), {
        runId: request.body.run_id,
        name: request.body.name ?? modelName,
      }),
  );

  app.post<{ Body: { name?: string } | undefined }>(
    '/models/rollback',
    {
      onRequest: guard,
      schema: {
        tags: ['models'],
        summary: 'Make the model that was current before the current one current again',
        security: [{ bearerAuth: [] }],
        body: {
          type: ['object', 'null'],
          properties: { name: modelNameQuery.properties.name },
          additionalProperties: false,
        },
        response: { 200: promotion, ...errors(401, 403, 409, 422) },
      },
    },
    async (request) => registryFor(request.ip).rollback(request.body?.name ?? modelName),
  );
}
