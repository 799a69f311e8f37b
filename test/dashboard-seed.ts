import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainResultJson } from '../src/contract.js';
import { openStore } from '../src/store/index.js';
import { Tracker } from '../src/tracking/tracker.js';
import { parseJsonOutput, runCli, sandboxSettings } from './helpers.js';

export const SWEEP_RUNS = 22;

export interface Seeded {
  /** The demo run (clean checkout; a 20-step `loss` curve). */
  demo: string;
  /** train-dummy with seeds 1 and 2 (clean), 3 and 4 (dirty); v1 promoted, v3 promoted, then rolled back. */
  trained: TrainResultJson[];
  /** Runs of kind `sweep` (clean), with `acc` = 0.50, 0.51, ... and an `lr` param each. */
  sweeps: string[];
  total: number;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

async function cli(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<Record<string, unknown>> {
  const res = await runCli([...args, '--json'], { cwd, env });
  if (res.code !== 0) throw new Error(`balanceops ${args.join(' ')} failed:\n${res.stderr}`);
  return parseJsonOutput(res);
}

/**
 * A sandbox in a git checkout with runs of three kinds, clean and dirty, and a registry history of
 * promote, decline and rollback: everything the dashboard shows. Only the CLI writes, except the sweep
 * runs, which the tracking library records directly (22 CLI starts would only slow the test down).
 */
export async function seedSandbox(cwd: string, env: Record<string, string>): Promise<Seeded> {
  git(cwd, 'init', '-q', '-b', 'main');
  writeFileSync(join(cwd, 'README.md'), '# sandbox\n');
  git(cwd, 'add', 'README.md');
  git(cwd, 'commit', '-q', '--no-gpg-sign', '-m', 'sandbox');

  const demo = (await cli(cwd, env, ['demo-run'])).run_id as string;
  const trained: TrainResultJson[] = [];
  for (const seed of [1, 2]) {
    trained.push(
      (await cli(cwd, env, ['train-dummy', '--seed', String(seed)])) as unknown as TrainResultJson,
    );
  }

  const settings = sandboxSettings(cwd, env);
  const store = await openStore(settings);
  const sweeps: string[] = [];
  try {
    const tracker = new Tracker(store, settings);
    for (let i = 0; i < SWEEP_RUNS; i++) {
      const { run } = await tracker.withRun(
        { kind: 'sweep', note: `sweep #${i}`, params: { lr: (i + 1) / 1000, depth: 3 } },
        async (active) => {
          await active.logMetrics({ acc: 0.5 + i / 100, f1: 0.4 + i / 200 });
        },
      );
      sweeps.push(run.runId);
    }
  } finally {
    await store.close();
  }

  appendFileSync(join(cwd, 'README.md'), 'changed\n'); // a tracked change: the next runs are dirty
  for (const seed of [3, 4]) {
    trained.push(
      (await cli(cwd, env, ['train-dummy', '--seed', String(seed)])) as unknown as TrainResultJson,
    );
  }
  await cli(cwd, env, ['rollback']);
  return { demo, trained, sweeps, total: 1 + trained.length + sweeps.length };
}
