import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Settings } from '../config.js';
import { DEFAULT_MODEL_NAME, defaultActor, ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/types.js';
import { RunReader } from '../tracking/readers.js';
import { PACKAGE } from '../version.js';
import type { ServerDeps } from './deps.js';
import { installEnvelope } from './envelope.js';
import { ServerMetrics } from './metrics.js';
import { ModelCache } from './model-cache.js';
import { modelRoutes } from './routes/models.js';
import { predictRoutes } from './routes/predict.js';
import { runRoutes } from './routes/runs.js';
import { serviceRoutes } from './routes/service.js';
import { errorEnvelope } from './schemas.js';

export interface AppOptions {
  settings: Settings;
  store: Store;
  /** A pino logger, or `false` for none (tests, benchmarks). */
  logger?: FastifyBaseLogger | false;
  /** Log a line per request (method, url, status, time, request id). Default: true when logging. */
  requestLogs?: boolean;
  /** Largest accepted request body in bytes (`/predict/batch` takes up to 16 MiB). Default 1 MiB. */
  bodyLimit?: number;
  modelName?: string;
  /** Extra plugins to mount (the dashboard), given the resolved dependencies. */
  plugins?: ((app: FastifyInstance, deps: ServerDeps) => Promise<void>)[];
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const MAX_REQUEST_ID = 200;

// Bodies are validated strictly (a string is not a number); query strings arrive as text and are coerced.
const ajvBody = new Ajv({
  coerceTypes: false,
  useDefaults: true,
  removeAdditional: true,
  allErrors: false,
  strict: false,
  // strict: false would also let NaN and Infinity (JSON's 1e400) pass as numbers; they must not
  strictNumbers: true,
});
const ajvQuery = new Ajv({
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
  allErrors: false,
  strict: false,
  // strict: false would also let NaN and Infinity (JSON's 1e400) pass as numbers; they must not
  strictNumbers: true,
});
ajvBody.addSchema(errorEnvelope);
ajvQuery.addSchema(errorEnvelope);

/**
 * Builds the BalanceOps HTTP API on Fastify: the original's contract (/health, /version, /model, /runs,
 * /predict) plus batch prediction, registry endpoints, OpenAPI at /openapi.json with docs at /docs, and
 * Prometheus metrics at /metrics. The caller owns `store` and closes it after `app.close()`.
 *
 * @example
 *   const app = await buildApp({ settings, store, logger: false });
 *   await app.listen({ host: '127.0.0.1', port: 8000 });
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { settings, store } = options;
  const logging = options.logger !== undefined && options.logger !== false;
  const app = Fastify({
    ...(logging ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    disableRequestLogging: true,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // A client's X-Request-ID is kept when it is sane; otherwise a fresh UUID.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' &&
        given.length > 0 &&
        given.length <= MAX_REQUEST_ID &&
        /^[\x21-\x7e]+$/.test(given)
        ? given
        : randomUUID();
    },
    requestIdLogLabel: 'request_id',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? ajvBody : ajvQuery).compile(schema as object),
  );
  app.addSchema(errorEnvelope);
  installEnvelope(app);

  const modelName = options.modelName ?? DEFAULT_MODEL_NAME;
  const registry = new ModelRegistry(store, settings, { actor: defaultActor('api') });
  const cache = new ModelCache(store, registry, await store.openChangeSignal(), modelName);
  const metrics = new ServerMetrics(cache);
  cache.onSwap((model) => {
    metrics.modelSwapped(model, modelName);
    if (logging) {
      app.log.info(
        model === null
          ? { model: null }
          : { model: modelName, version: model.version.version, path: model.path },
        'serving model',
      );
    }
  });
  const reader = new RunReader(store, settings, (message) => app.log.warn(message));
  const deps: ServerDeps = { settings, store, reader, registry, cache, metrics, modelName };

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  metrics.install(app);
  if (logging && options.requestLogs !== false) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Number(reply.elapsedTime.toFixed(3)),
        },
        'request',
      );
      done();
    });
  }
  app.addHook('onClose', async () => {
    await cache.close();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'BalanceOps API',
        version: PACKAGE.version,
        description:
          'Experiment tracking, model registry and serving. Errors are always `{"ok": false, "error": {"code", "message", "hint"?, "details"?}, "request_id"}`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'predict', description: 'Scoring with the current model' },
        { name: 'models', description: 'The model registry' },
        { name: 'runs', description: 'Tracked runs' },
        { name: 'service', description: 'Health, build info, metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const withDeps = (plugin: (a: FastifyInstance, d: ServerDeps) => Promise<void>) => (a: FastifyInstance) =>
    plugin(a, deps);
  await app.register(withDeps(serviceRoutes));
  await app.register(withDeps(predictRoutes));
  await app.register(withDeps(runRoutes));
  await app.register(withDeps(modelRoutes));
  for (const plugin of options.plugins ?? []) await app.register(withDeps(plugin));

  await registry
    .ensureCanonical(modelName)
    .catch((err: unknown) => app.log.warn({ err }, 'cannot repair the canonical model file'));
  await cache.current(); // load the model before the first request
  return app;
}
