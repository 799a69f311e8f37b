import cluster from 'node:cluster';
import type { Command } from 'commander';
import { BalanceOpsError } from '../errors.js';
import { isLoopbackHost } from '../server/auth.js';
import { exitWhenRetired, runPrimary } from '../server/cluster.js';
import { dashboardPlugin } from '../server/dashboard.js';
import { startServer } from '../server/serve.js';
import { type CliContext, intOption, onShutdown } from './context.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ServingFlags {
  host: string;
  port: number;
  logLevel: string;
  workers: number;
}

/** Adds the flags every server-running command shares: --host, --port, --log-level, --workers. */
export function servingFlags(command: Command, defaults: { port: number; logLevel: string }): Command {
  return command
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', intOption(0, 65535), defaults.port)
    .option('--log-level <level>', `pino log level (${LOG_LEVELS.join(', ')})`, defaults.logLevel)
    .option(
      '--workers <n>',
      'server processes sharing the port (node:cluster); SIGHUP restarts them one by one',
      intOption(1, 64),
      1,
    );
}

function checkLogLevel(value: string): string {
  if (!LOG_LEVELS.includes(value)) {
    throw new BalanceOpsError('VALIDATION_ERROR', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return value;
}

const forever = () => new Promise<never>(() => undefined);

/**
 * Runs the API (with the dashboard at `mount`) until SIGINT/SIGTERM, which close it gracefully. With
 * `--workers N` this process becomes the cluster's primary: it forks N servers on the shared port,
 * replaces any that die, restarts them one at a time on SIGHUP, and stops them all on SIGINT/SIGTERM.
 * `banner` turns the listening URL into the lines printed once everything listens.
 */
export async function runServing(
  ctx: CliContext,
  flags: ServingFlags,
  mount: string,
  banner: (url: string) => string[],
  // serve and dashboard keep stdout for JSON logs; start's banner is its result, on stdout
  out: NodeJS.WriteStream = process.stderr,
): Promise<never> {
  const logLevel = checkLogLevel(flags.logLevel);
  const say = (lines: string[]) => out.write(`${lines.join('\n')}\n`);
  if (flags.workers > 1 && cluster.isPrimary) {
    // Fail here, not in N workers, when the address would expose the registry without a token.
    if (!isLoopbackHost(flags.host) && ctx.settings.apiToken === undefined) {
      throw new BalanceOpsError(
        'SERVER_START_FAILED',
        `refusing to listen on ${flags.host} without BALANCEOPS_API_TOKEN`,
        {
          hint: 'Set BALANCEOPS_API_TOKEN (clients then send Authorization: Bearer <token>), or bind 127.0.0.1.',
        },
      );
    }
    const primary = runPrimary({
      workers: flags.workers,
      log: (line) => say([line]),
      onListening: (url) =>
        say(banner(url).map((l, i) => (i === 0 ? `${l} [${flags.workers} workers, pid ${process.pid}]` : l))),
    });
    onShutdown(() => primary.stop());
    process.on('SIGHUP', () => void primary.restart());
    return forever();
  }
  const server = await startServer({
    settings: ctx.settings,
    host: flags.host,
    port: flags.port,
    logLevel,
    plugins: [dashboardPlugin({ mount })],
  });
  onShutdown(() => server.close());
  if (cluster.isWorker) exitWhenRetired(() => server.close());
  else say(banner(server.url));
  return forever();
}
