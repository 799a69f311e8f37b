import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** IPC message a worker sends to ask the primary for every worker's metrics, and the answer. */
interface MetricsRequest {
  type: 'balanceops:metrics:request';
  id: number;
}
interface MetricsResponse {
  type: 'balanceops:metrics:response';
  id: number;
  text?: string;
  error?: string;
}
/** Primary -> worker: finish in-flight requests, then exit. */
interface ShutdownRequest {
  type: 'balanceops:shutdown';
}

const isMessage = <T extends { type: string }>(value: unknown, type: T['type']): value is T =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;

export interface ClusterOptions {
  workers: number;
  log: (line: string) => void;
  /** Called once every worker listens, with the address they share. */
  onListening: (url: string) => void;
}

export interface ClusterHandle {
  /** Replaces the workers one at a time: a new one listens before an old one is asked to finish. */
  restart(): Promise<void>;
  /** Asks every worker to finish its requests and exit; resolves when all have. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;
const CRASH_WINDOW_MS = 10_000;
const MAX_CRASHES = 5;

/**
 * The primary of `serve --workers N`: forks the workers (each one runs the same command and serves on
 * the shared port), replaces a worker that dies, restarts them one by one on `restart()` so the port is
 * never left unserved, and answers the workers' requests for cluster-wide Prometheus metrics.
 */
export function runPrimary(options: ClusterOptions): ClusterHandle {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let announced = false;
  const crashes: number[] = [];
  const listening = new Set<Worker>();
  const retiring = new Set<Worker>();

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      worker.on('message', (message: unknown) => {
        if (!isMessage<MetricsRequest>(message, 'balanceops:metrics:request')) return;
        aggregator.clusterMetrics().then(
          (text) =>
            worker.send({
              type: 'balanceops:metrics:response',
              id: message.id,
              text,
            } satisfies MetricsResponse),
          (err: unknown) =>
            worker.send({
              type: 'balanceops:metrics:response',
              id: message.id,
              error: String(err),
            } satisfies MetricsResponse),
        );
      });
      worker.once('listening', (address) => {
        listening.add(worker);
        if (!announced && listening.size === options.workers) {
          announced = true;
          const host =
            address.address === undefined || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
          options.onListening(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        }
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        const wasListening = listening.delete(worker);
        if (!wasListening)
          reject(new Error(`worker ${worker.process.pid} exited before listening (code ${code})`));
        if (stopping || retiring.delete(worker) || worker.exitedAfterDisconnect) return;
        options.log(
          `[WARN] worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting another`,
        );
        const now = Date.now();
        crashes.push(now);
        while (crashes.length > 0 && (crashes[0] as number) < now - CRASH_WINDOW_MS) crashes.shift();
        if (crashes.length > MAX_CRASHES) {
          options.log(
            `[ERR] workers keep dying (${crashes.length} in ${CRASH_WINDOW_MS / 1000} s); stopping`,
          );
          void handle.stop().then(() => process.exit(1));
          return;
        }
        fork().catch((err: unknown) => options.log(`[ERR] ${String(err)}`));
      });
    });

  const retire = (worker: Worker): Promise<void> =>
    new Promise((resolve) => {
      if (worker.isDead()) return resolve();
      retiring.add(worker);
      const force = setTimeout(() => worker.kill('SIGKILL'), STOP_TIMEOUT_MS);
      worker.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      worker.send({ type: 'balanceops:shutdown' } satisfies ShutdownRequest);
    });

  const handle: ClusterHandle = {
    restart: async () => {
      for (const old of Object.values(cluster.workers ?? {})) {
        if (old === undefined || stopping) continue;
        await fork();
        await retire(old);
      }
      options.log(`[OK] restarted ${options.workers} workers`);
    },
    stop: async () => {
      stopping = true;
      await Promise.all(
        Object.values(cluster.workers ?? {}).map((w) => (w === undefined ? undefined : retire(w))),
      );
    },
  };
  for (let i = 0; i < options.workers; i++) {
    fork().catch((err: unknown) => {
      options.log(`[ERR] ${String(err)}`);
      void handle.stop().then(() => process.exit(1));
    });
  }
  return handle;
}

/**
 * Worker side: lets this worker's registry be gathered by the primary, and gives `/metrics` a way to ask
 * for the whole cluster's figures. Outside a cluster it returns `null`.
 */
export function clusterMetricsSource(registry: Registry): (() => Promise<string>) | null {
  if (!cluster.isWorker) return null;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client installs a worker's answer to the primary's metrics requests when an aggregator is built
  new AggregatorRegistry();
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  process.on('message', (message: unknown) => {
    if (!isMessage<MetricsResponse>(message, 'balanceops:metrics:response')) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) pending?.resolve(message.text);
    else pending?.reject(new Error(message.error ?? 'no metrics'));
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send?.({ type: 'balanceops:metrics:request', id } satisfies MetricsRequest);
      setTimeout(() => {
        if (waiting.delete(id)) reject(new Error('the primary did not answer with metrics in time'));
      }, 5000).unref();
    });
}

/**
 * In a worker: finish in-flight requests and exit when the primary asks (restart, stop), or when the
 * primary is gone (its IPC channel closed).
 */
export function exitWhenRetired(close: () => Promise<void>): void {
  if (!cluster.isWorker) return;
  // a terminal hang-up reaches the whole process group; restarts are the primary's call, not the workers'
  process.on('SIGHUP', () => undefined);
  let closing = false;
  const finish = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    void close().finally(() => process.exit(0));
  };
  process.on('message', (message: unknown) => {
    if (isMessage<ShutdownRequest>(message, 'balanceops:shutdown')) finish();
  });
  process.once('disconnect', finish);
}
