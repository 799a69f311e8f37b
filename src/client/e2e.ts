import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../config.js';
import { BalanceOpsError, describeError } from '../errors.js';
import { promoteRun } from '../registry/promote-run.js';
import { ModelRegistry } from '../registry/registry.js';
import { openStore } from '../store/index.js';
import { RunReader } from '../tracking/readers.js';
import { Tracker } from '../tracking/tracker.js';
import { trainDummy } from '../training/train-dummy.js';
import { smoke } from './smoke.js';

export interface E2eOptions {
  host?: string;
  port?: number;
  /** The CLI entry to start `serve` with (a child process, as a user would run it). */
  cliEntry: string;
  /** Keep the sandbox folder for inspection instead of removing it. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface E2eResult {
  ok: boolean;
  sandbox: string;
  steps: { step: string; ok: boolean; detail: string }[];
}

/** Fails fast when something already listens on the port: smoke would otherwise test that server. */
function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BalanceOpsError(
          'SERVER_START_FAILED',
          err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : describeError(err),
          {
            hint: 'Pass another --port.',
          },
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The whole loop in a fresh temporary sandbox with its own database and artifacts: init -> train the dummy
 * model and promote it -> start `serve` as a child process -> smoke -> stop. One line per step; nothing is
 * left running, and the sandbox is removed unless `keep`.
 *
 * @example
 *   const result = await e2e({ port: 8010, cliEntry: process.argv[1] });
 */
export async function e2e(options: E2eOptions): Promise<E2eResult> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8010;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sandbox = mkdtempSync(join(tmpdir(), 'balanceops-e2e-'));
  const env = {
    BALANCEOPS_DB: join(sandbox, 'data', 'balanceops.db'),
    BALANCEOPS_ARTIFACTS: join(sandbox, 'artifacts'),
    BALANCEOPS_CURRENT_MODEL: join(sandbox, 'artifacts', 'models', 'current.json'),
  };
  const settings = loadSettings(
    { ...process.env, ...env, BALANCEOPS_POLICY: '', BALANCEOPS_API_TOKEN: '' },
    sandbox,
  );
  const result: E2eResult = { ok: false, sandbox, steps: [] };
  const step = (name: string, ok: boolean, detail: string) => {
    result.steps.push({ step: name, ok, detail });
    log(`[e2e] ${ok ? 'OK  ' : 'FAIL'} ${name}: ${detail}`);
    return ok;
  };

  let child: ChildProcess | null = null;
  try {
    log(`[e2e] sandbox: ${sandbox}`);
    const store = await openStore(settings);
    try {
      step('1/5 init', true, `database ${env.BALANCEOPS_DB}`);
      const registry = new ModelRegistry(store, settings, { actor: 'e2e' });
      const trained = await trainDummy(new Tracker(store, settings), registry);
      step(
        '2/5 train-dummy',
        true,
        `run ${trained.run_id}, promoted=${trained.promoted} (${trained.reason})`,
      );
      if ((await registry.current()) === null) {
        const latest = await new RunReader(store, settings).latestRunId();
        if (latest !== null) await promoteRun(store, registry, { runId: latest });
      }
      const current = await registry.currentJson();
      if (
        !step(
          '3/5 current model',
          current !== null,
          current === null ? 'none' : `v${current.version} (${current.path})`,
        )
      ) {
        return result;
      }
    } finally {
      await store.close();
    }

    await assertPortFree(host, port);
    const output: string[] = [];
    child = spawn(
      process.execPath,
      [options.cliEntry, 'serve', '--host', host, '--port', String(port), '--log-level', 'warn'],
      {
        cwd: sandbox,
        env: { ...process.env, ...env, BALANCEOPS_API_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<string>((resolve) =>
      child?.once('exit', (code) => resolve(`serve exited early (code ${code}): ${output.join('').trim()}`)),
    );
    step('4/5 serve', true, `pid ${child.pid} on http://${host}:${port}`);

    const smoked = await Promise.race([
      smoke({
        baseUrl: `http://${host}:${port}`,
        timeoutSec: 8,
        retries: 40,
        retryDelaySec: 0.25,
        failOnPredict404: true,
        log: () => undefined,
        warn: () => undefined,
      }),
      exited,
    ]);
    if (typeof smoked === 'string') {
      step('5/5 smoke', false, smoked);
      return result;
    }
    const p = (smoked.predict?.body as { p_win?: number } | null)?.p_win;
    step('5/5 smoke', smoked.ok, smoked.ok ? `health ok, p_win=${p}` : (smoked.error ?? 'failed'));
    result.ok = smoked.ok;
    return result;
  } catch (err) {
    step('error', false, describeError(err));
    return result;
  } finally {
    if (child !== null) await stopChild(child);
    log(`[e2e] server stopped; ${result.ok ? 'PASSED' : 'FAILED'}`);
    if (!options.keep) rmSync(sandbox, { recursive: true, force: true });
  }
}
