import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Settings } from '../config.js';
import { BalanceOpsError, describeError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { type AppOptions, buildApp } from './app.js';
import { isLoopbackHost } from './auth.js';

const DRAIN_MS = 1000;

export interface ServeOptions {
  settings: Settings;
  host: string;
  port: number;
  logLevel?: string;
  /** Pretty human log lines instead of JSON (a terminal); JSON is the default for log shippers. */
  plugins?: AppOptions['plugins'];
  /** Allow binding a non-loopback address without an API token (read-only exposure is then on you). */
  allowUnauthenticated?: boolean;
  /** How long a graceful close keeps answering (with `Connection: close`) before closing; default 1 s. */
  drainMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the store, builds the app and listens. Refuses a non-loopback address when no API token is set,
 * since the registry endpoints would then be open to the network.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { settings, host, port } = options;
  if (!isLoopbackHost(host) && settings.apiToken === undefined && !options.allowUnauthenticated) {
    throw new BalanceOpsError(
      'SERVER_START_FAILED',
      `refusing to listen on ${host} without BALANCEOPS_API_TOKEN`,
      {
        hint: 'Set BALANCEOPS_API_TOKEN (clients then send Authorization: Bearer <token>), or bind 127.0.0.1.',
      },
    );
  }
  const store = await openStore(settings);
  const drain = { draining: false };
  // Buffered, asynchronous log writes: a synchronous write per request line would halve throughput.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger =
    options.logLevel === 'silent' ? false : pino({ level: options.logLevel ?? 'info' }, destination);
  let app: FastifyInstance;
  try {
    app = await buildApp({ settings, store, logger, plugins: options.plugins, drain });
  } catch (err) {
    await store.close();
    throw err;
  }
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new BalanceOpsError(
      'SERVER_START_FAILED',
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use`
        : `cannot listen on ${host}:${port}: ${describeError(err)}`,
      { hint: code === 'EADDRINUSE' ? 'Stop the other server or pass --port.' : undefined },
    );
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    url: `http://${urlHost}:${boundPort}`,
    close: () => {
      closing ??= (async () => {
        // Keep answering for a moment, telling every client to close its connection, so a keep-alive
        // client never sends a request into a socket this server is closing.
        drain.draining = true;
        await new Promise((r) => setTimeout(r, options.drainMs ?? DRAIN_MS));
        await app.close();
        await store.close();
        destination.flushSync();
      })();
      return closing;
    },
  };
}
