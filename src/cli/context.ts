import { type Command, InvalidArgumentError } from 'commander';
import { loadSettings, type Settings } from '../config.js';
import { BalanceOpsError, describeError, isBalanceOpsError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { failActiveRuns } from '../tracking/tracker.js';

/** What every command gets: settings, a lazily opened store, and the one way to print results. */
export class CliContext {
  private settingsValue: Settings | undefined;
  private storeValue: Store | undefined;

  constructor(
    readonly json: boolean,
    readonly debug: boolean,
  ) {}

  get settings(): Settings {
    this.settingsValue ??= loadSettings();
    return this.settingsValue;
  }

  async store(): Promise<Store> {
    this.storeValue ??= await openStore(this.settings);
    return this.storeValue;
  }

  /** Prints a command's result: the JSON object with `--json`, else the human lines. */
  result(value: object, human: () => string | readonly string[]): void {
    if (this.json) {
      process.stdout.write(`${JSON.stringify(value)}\n`);
      return;
    }
    const lines = human();
    process.stdout.write(`${typeof lines === 'string' ? lines : lines.join('\n')}\n`);
  }

  /** Progress and notices go to stderr so that `--json` output stays one object on stdout. */
  info(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    process.stderr.write(`[WARN] ${message}\n`);
  }

  async close(): Promise<void> {
    await this.storeValue?.close();
    this.storeValue = undefined;
  }
}

const shutdownHooks: (() => Promise<void>)[] = [];

/** Work to finish before the process exits on SIGINT/SIGTERM (a server closing gracefully). */
export function onShutdown(hook: () => Promise<void>): void {
  shutdownHooks.push(hook);
}

/**
 * What SIGINT/SIGTERM do: finish open runs as `failed`, run the shutdown hooks (bounded by 10 s), exit.
 * A server that closed gracefully exits 0; an interrupted job exits 130 (SIGINT) or 143 (SIGTERM).
 */
export async function shutdown(signal: NodeJS.Signals): Promise<void> {
  setTimeout(() => process.exit(1), 10_000).unref();
  const graceful = shutdownHooks.length > 0;
  await Promise.allSettled([failActiveRuns(), ...shutdownHooks.map((hook) => hook())]);
  process.exit(graceful ? 0 : signal === 'SIGINT' ? 130 : 143);
}

/** Prints a failure as one `[ERR]` line (and, with `--json`, an error object on stdout). */
export function reportError(err: unknown, json: boolean, debug: boolean): void {
  const known = isBalanceOpsError(err);
  const code = known ? err.code : 'INTERNAL_ERROR';
  const message = known ? err.message : describeError(err);
  const hint = known ? err.hint : undefined;
  process.stderr.write(`[ERR] ${message}${hint ? ` (hint: ${hint})` : ''}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (json) {
    const error: Record<string, unknown> = { code, message };
    if (hint) error.hint = hint;
    if (known && err.details !== undefined) error.details = err.details;
    process.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
  }
}

function globalFlag(command: Command, name: string): boolean {
  return Boolean(command.optsWithGlobals()[name]);
}

/**
 * Wraps a command's action: builds its context, runs it, prints failures the one way and always closes
 * the store. Runs left open by a failing command are finished as `failed`.
 */
export function action<A extends unknown[]>(
  handler: (ctx: CliContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const ctx = new CliContext(globalFlag(command, 'json'), globalFlag(command, 'debug'));
    try {
      await handler(ctx, ...(args.slice(0, -1) as A));
    } catch (err) {
      await failActiveRuns();
      reportError(err, ctx.json, ctx.debug);
      process.exitCode = 1;
    } finally {
      await ctx.close().catch(() => undefined);
    }
  };
}

/** Option parsers: a bad value is a usage error naming the option. */
export function intOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

export function floatOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}.`);
    }
    return n;
  };
}

export function usageError(message: string): BalanceOpsError {
  return new BalanceOpsError('VALIDATION_ERROR', message);
}
