import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, type Settings } from '../src/config.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'balanceops-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Environment for a sandbox: every BALANCEOPS_* variable pointing inside `dir`. */
export function sandboxEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BALANCEOPS_DB: join(dir, 'db', 'balanceops.db'),
    BALANCEOPS_ARTIFACTS: join(dir, 'store'),
    BALANCEOPS_CURRENT_MODEL: join(dir, 'store', 'models', 'current.json'),
    ...extra,
  };
}

/** Settings of a sandbox, as the library would read them in `dir`. */
export function sandboxSettings(dir: string, extra: Record<string, string> = {}): Settings {
  return loadSettings(sandboxEnv(dir, extra), dir);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test process's environment without any BALANCEOPS_* setting, with `extra` on top. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('BALANCEOPS_')) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs the built CLI as a user would, in `cwd` with the given environment on top of a clean one. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Parses the single JSON object a `--json` command prints. */
export function parseJsonOutput<T = Record<string, unknown>>(result: CliResult): T {
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1)
    throw new Error(`expected one JSON line on stdout, got:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(lines[0] ?? '') as T;
}

export interface ServerProcess {
  url: string;
  child: import('node:child_process').ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `balanceops <args>` (serve, dashboard, ...) on a free port and waits for it to say where it listens. */
export function startCliServer(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--port', '0'], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/[^\s)]+)/.exec(out);
      if (m?.[1] !== undefined) {
        const url = m[1];
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        resolve({
          url,
          child,
          output: () => out,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
    child.once('error', reject);
  });
}
