import type { Command } from 'commander';
import type { ModelVersionJson, PromotionJson, RegistryEventJson, TrainResultJson } from '../../contract.js';
import { BalanceOpsError } from '../../errors.js';
import { loadPolicy } from '../../registry/policy.js';
import { promoteRun } from '../../registry/promote-run.js';
import { DEFAULT_MODEL_NAME, ModelRegistry } from '../../registry/registry.js';
import type { Store } from '../../store/types.js';
import { RunReader } from '../../tracking/readers.js';
import { Tracker } from '../../tracking/tracker.js';
import { trainDummy } from '../../training/train-dummy.js';
import { action, type CliContext, intOption, usageError } from '../context.js';
import { formatMetrics, table } from '../format.js';

/** Opens the registry and repairs the canonical model file if a crash left it stale. */
export async function openRegistry(
  ctx: CliContext,
  name = DEFAULT_MODEL_NAME,
): Promise<{ store: Store; registry: ModelRegistry }> {
  const store = await ctx.store();
  const registry = new ModelRegistry(store, ctx.settings);
  const state = await registry.ensureCanonical(name);
  if (state === 'repaired')
    ctx.warn(`repaired ${registry.canonicalPath(name)}: it did not match the current model`);
  if (state === 'unrepairable')
    ctx.warn(`the current model's file of ${name} is missing or altered; promote another model`);
  return { store, registry };
}

export function trainLines(r: TrainResultJson): string[] {
  return [
    `[OK] run_id: ${r.run_id}`,
    `[OK] candidate: ${r.candidate_path} (model version ${r.model_version})`,
    `[OK] manifest: ${r.manifest_path}`,
    `[OK] promoted: ${r.promoted} (${r.reason})`,
    `[OK] metrics: ${formatMetrics(r.metrics, 4)}`,
  ];
}

function promotionLines(r: PromotionJson): string[] {
  const v = r.version;
  return r.promoted
    ? [
        `[OK] ${r.name} v${v.version} (run ${v.run_id ?? '-'}) is now current: ${r.reason}`,
        `[OK] serving copy: ${r.current_path}`,
      ]
    : [`[OK] nothing changed: ${r.reason}`];
}

export function registerRegistryCommands(program: Command): void {
  program
    .command('train-dummy')
    .description('train the deterministic dummy model, save the candidate, let the policy decide promotion')
    .option('--seed <n>', 'random seed (same seed, same model and metrics)', intOption(0, 2 ** 32 - 1), 42)
    .option('--n-samples <n>', 'synthetic rows to measure metrics on', intOption(1, 10_000_000), 300)
    .option('--n-features <n>', 'length of the weight vector', intOption(1, 100_000), 8)
    .option('--no-auto-promote', 'register the candidate without asking the policy')
    .option('--policy <file>', 'promotion policy JSON (default: BALANCEOPS_POLICY, else the built-in rule)')
    .option('--json', 'print {run_id, candidate_path, manifest_path, metrics, promoted, reason}')
    .action(
      action(
        async (
          ctx,
          opts: { seed: number; nSamples: number; nFeatures: number; autoPromote: boolean; policy?: string },
        ) => {
          const policy = loadPolicy(opts.policy ?? ctx.settings.policyPath);
          const { store, registry } = await openRegistry(ctx);
          const result = await trainDummy(new Tracker(store, ctx.settings), registry, {
            seed: opts.seed,
            nSamples: opts.nSamples,
            nFeatures: opts.nFeatures,
            autoPromote: opts.autoPromote,
            policy,
          });
          ctx.result(result, () => trainLines(result));
        },
      ),
    );

  program
    .command('promote')
    .description("make a run's model current, whatever the policy says")
    .option('--run-id <id>', 'the run whose model to promote')
    .option('--latest', 'the newest run')
    .option('--model-path <path>', 'promote this model file for the run instead of the one it recorded')
    .option('--name <name>', 'registered model name', DEFAULT_MODEL_NAME)
    .option('--json', 'print the promotion as one JSON object')
    .action(
      action(async (ctx, opts: { runId?: string; latest?: boolean; modelPath?: string; name: string }) => {
        if ((opts.runId === undefined) === (opts.latest === undefined)) {
          throw usageError('give exactly one of --run-id <id> or --latest');
        }
        const { store, registry } = await openRegistry(ctx, opts.name);
        let runId = opts.runId;
        if (opts.latest) {
          runId = (await new RunReader(store, ctx.settings, (m) => ctx.warn(m)).latestRunId()) ?? undefined;
          if (runId === undefined) {
            throw new BalanceOpsError('RUN_NOT_FOUND', 'no runs yet', {
              hint: 'train one with `npx balanceops train-dummy`',
            });
          }
        }
        const result = await promoteRun(store, registry, {
          runId: runId as string,
          modelPath: opts.modelPath,
          name: opts.name,
        });
        ctx.result(result, () => promotionLines(result));
      }),
    );

  program
    .command('rollback')
    .description('make the model that was current before the current one current again')
    .option('--name <name>', 'registered model name', DEFAULT_MODEL_NAME)
    .option('--json', 'print the rollback as one JSON object')
    .action(
      action(async (ctx, opts: { name: string }) => {
        const { registry } = await openRegistry(ctx, opts.name);
        const result = await registry.rollback(opts.name);
        ctx.result(result, () => promotionLines(result));
      }),
    );

  const models = program.command('models').description('registered model versions and their history');

  models
    .command('list')
    .description('every version of a model, newest first, with the current one marked')
    .option('--name <name>', 'registered model name', DEFAULT_MODEL_NAME)
    .option('--json', 'print {name, current, versions} as one JSON object')
    .action(
      action(async (ctx, opts: { name: string }) => {
        const { registry } = await openRegistry(ctx, opts.name);
        const versions = await registry.listVersions(opts.name);
        const current = await registry.currentJson(opts.name);
        ctx.result({ name: opts.name, current, versions }, () => versionsTable(versions));
      }),
    );

  models
    .command('history')
    .description('promotions, rollbacks and declined candidates, newest first')
    .option('--name <name>', 'registered model name', DEFAULT_MODEL_NAME)
    .option('--limit <n>', 'events to show', intOption(1, 100_000), 50)
    .option('--json', 'print {name, events} as one JSON object')
    .action(
      action(async (ctx, opts: { name: string; limit: number }) => {
        const { registry } = await openRegistry(ctx, opts.name);
        const events = await registry.history(opts.name, opts.limit);
        ctx.result({ name: opts.name, events }, () => eventsTable(events));
      }),
    );
}

function versionsTable(versions: ModelVersionJson[]): string[] {
  if (versions.length === 0) return ['no model versions yet: train one with `npx balanceops train-dummy`'];
  return table(
    ['', 'version', 'type', 'run_id', 'metrics', 'created_at'],
    versions.map((v) => [
      v.current ? '*' : '',
      `v${v.version}`,
      v.model_type,
      v.run_id ?? '-',
      formatMetrics(v.metrics, 4),
      v.created_at,
    ]),
  );
}

function eventsTable(events: RegistryEventJson[]): string[] {
  if (events.length === 0) return ['no registry events yet'];
  const v = (n: number | null) => (n === null ? '-' : `v${n}`);
  return table(
    ['when', 'action', 'from', 'to', 'reason', 'actor'],
    events.map((e) => [e.created_at, e.action, v(e.from_version), v(e.to_version), e.reason, e.actor]),
  );
}
