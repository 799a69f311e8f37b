import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv, type ValidateFunction } from 'ajv';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { Settings } from '../config.js';
import { DEFAULT_MODEL_NAME, defaultActor, ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/types.js';
import { RunReader } from '../tracking/readers.js';
import { PACKAGE } from '../version.js';
import type { ServerDeps } from './deps.js';
import { frameworkError, installEnvelope, requestIdFor, sendRawEnvelope } from './envelope.js';
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
  logger?: Logger | false;
  /** Log a line per request (method, url, status, time, request id). Default: true when logging. */
  requestLogs?: boolean;
  /** Largest accepted request body in bytes (`/predict/batch` takes up to 16 MiB). Default 1 MiB. */
  bodyLimit?: number;
  modelName?: string;
  /**
   * Set `draining` before a graceful close: every response then carries `Connection: close`, so clients
   * leave their keep-alive connections instead of racing the server's close of them.
   */
  drain?: { draining: boolean };
  /** Extra plugins to mount (the dashboard), given the resolved dependencies. */
  plugins?: ((app: FastifyInstance, deps: ServerDeps) => Promise<void>)[];
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
// Run ids are at most 128 characters; a longer path parameter is refused before routing.
const MAX_PARAM_LENGTH = 200;

/** One JSON line per answered request (method, url, status, ms, request_id); nothing on arrival. */
class RequestLogs extends LogController {
  constructor(private readonly enabled: boolean) {
    super({ requestIdLogLabel: 'request_id', disableRequestLogging: !enabled });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (!this.enabled) return;
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Number(reply.elapsedTime.toFixed(3)),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}

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

/**
 * Ajv's type coercion turns the text `1e400` into Infinity after its range checks ran, so query values are
 * checked once more: every number must be finite.
 */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    if (!validate(data)) {
      wrapped.errors = validate.errors;
      return false;
    }
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        wrapped.errors = [
          {
            instancePath: `/${key}`,
            schemaPath: '#',
            keyword: 'type',
            params: {},
            message: 'must be a finite number',
          },
        ];
        return false;
      }
    }
    wrapped.errors = null;
    return true;
  }) as ValidateFunction;
  return wrapped;
}
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
  const drain = options.drain ?? { draining: false };
  const app = Fastify({
    ...(logging ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    // decided once: below info, a request line would be built per request only to be dropped
    logController: new RequestLogs(
      logging && options.requestLogs !== false && (options.logger as Logger).isLevelEnabled('info'),
    ),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: requestIdFor,
    // Requests already on an open connection are still answered while closing (the drain above ends them).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkError,
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      onMaxParamLength: (path, req, res) =>
        sendRawEnvelope(
          req,
          res,
          'URI_TOO_LONG',
          `A path parameter in ${path.slice(0, 80)}... is longer than ${MAX_PARAM_LENGTH} characters.`,
        ),
    },
  });

  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? ajvBody.compile(schema as object) : finiteOnly(ajvQuery.compile(schema as object)),
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
    if (drain.draining) void reply.header('connection', 'close');
    done();
  });
  metrics.install(app);
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
