/** What the HTTP benchmarks share: a sandbox store, a server child process, and wrk. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, type Settings } from '../src/config.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  settings: Settings;
  store: SqliteStore;
  dispose(): Promise<void>;
}

/** A temporary folder with its own database and artifacts, and the environment pointing at them. */
export function benchSandbox(prefix: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    ...process.env,
    BALANCEOPS_DB: join(dir, 'bench.db'),
    BALANCEOPS_ARTIFACTS: join(dir, 'artifacts'),
    BALANCEOPS_CURRENT_MODEL: join(dir, 'artifacts', 'models', 'current.json'),
  };
  const store = new SqliteStore(env.BALANCEOPS_DB);
  return {
    dir,
    env,
    settings: loadSettings(env, dir),
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// On a small machine the server and the load generator fight for the same cores; when taskset exists they
// are pinned apart (server on the last CPU, load generator on the first), which steadies the figures.
const pin = spawnSync('taskset', ['--version']).error === undefined && availableParallelism() >= 2;
const lastCpu = String(availableParallelism() - 1);

/** `[command, args]` pinned to the server CPU (or the load-generator CPU) when pinning is possible. */
export function pinned(role: 'server' | 'load', command: string, args: string[]): [string, string[]] {
  if (!pin) return [command, args];
  return ['taskset', ['-c', role === 'server' ? lastCpu : '0', command, ...args]];
}

export const pinning = pin ? `server on CPU ${lastCpu}, load generator on CPU 0 (taskset)` : 'none';

/** Starts `node <args>` and resolves once it prints where it listens (`... on http://host:port`). */
export function startServerProcess(
  args: string[],
  sandbox: Sandbox,
): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const [command, argv] = pinned('server', process.execPath, args);
    const child = spawn(command, argv, {
      cwd: sandbox.dir,
      env: sandbox.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/** A wrk Lua script that POSTs `body` as JSON. */
export function wrkPostScript(dir: string, body: string): string {
  const path = join(dir, 'post.lua');
  writeFileSync(
    path,
    `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\n`,
  );
  return path;
}

export interface WrkResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Reads wrk's report (run with `--latency`): counts, req/s, p50/p99 in ms, non-2xx plus socket errors. */
export function parseWrk(out: string): WrkResult {
  const ms = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (m === null) return Number.NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50: ms('50'),
    p99: ms('99'),
    errors: non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}
