import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { clusterMetricsSource } from './cluster.js';
import type { ModelCache, ServedModel } from './model-cache.js';

/** Prometheus metrics of one server: requests and latency by route and status, predictions, the model. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'balanceops_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'balanceops_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: 'balanceops_predictions_total',
    help: 'Predictions served (one per row of a batch).',
    registers: [this.registry],
  });
  private readonly modelVersion = new Gauge({
    name: 'balanceops_model_version',
    help: 'Version number of the model being served; labels name its run and type.',
    labelNames: ['name', 'run_id', 'model_type'] as const,
    registers: [this.registry],
    // with several workers, each serves the same version: the cluster figure is that version, not a sum
    aggregator: 'max',
  });
  // Read from the model cache whenever the registry is collected (also when the primary of a cluster asks).
  private readonly loadFailures: Gauge = new Gauge({
    name: 'balanceops_model_load_failures_total',
    help: 'Failed attempts to load a newly promoted model since the server started.',
    registers: [this.registry],
    collect: (): void => this.loadFailures.set(this.cache.stats.loadFailures),
  });
  private readonly modelLoads: Gauge = new Gauge({
    name: 'balanceops_model_loads_total',
    help: 'Models loaded since the server started.',
    registers: [this.registry],
    collect: (): void => this.modelLoads.set(this.cache.stats.loads),
  });
  // Label children are looked up once per (method, route, status) and reused: no hashing per request.
  private readonly requestChildren = new Map<
    string,
    { count: { inc(): void }; time: { observe(v: number): void } }
  >();

  /** Cluster-wide figures when this process is a worker of `serve --workers N`; else `null`. */
  private readonly clusterSource: (() => Promise<string>) | null;

  constructor(private readonly cache: ModelCache) {
    this.registry.setDefaultLabels({ service: 'balanceops-api' });
    this.clusterSource = clusterMetricsSource(this.registry);
  }

  /** Counts every answered request in `onResponse`, labelled by the route pattern, not the raw URL. */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `${request.method} ${route} ${reply.statusCode}`;
      let child = this.requestChildren.get(key);
      if (child === undefined) {
        child = {
          count: this.requests.labels(request.method, route, String(reply.statusCode)),
          time: this.latency.labels(request.method, route, String(reply.statusCode)),
        };
        this.requestChildren.set(key, child);
      }
      child.count.inc();
      child.time.observe(reply.elapsedTime / 1000);
      done();
    });
  }

  modelSwapped(model: ServedModel | null, name: string): void {
    this.modelVersion.reset();
    if (model !== null) {
      this.modelVersion
        .labels(name, model.version.runId ?? '', model.version.modelType)
        .set(model.version.version);
    }
  }

  /** The exposition text: this process's figures, or every worker's summed when in a cluster. */
  async render(): Promise<string> {
    return this.clusterSource === null ? this.registry.metrics() : this.clusterSource();
  }
}
