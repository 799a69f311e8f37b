import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { displayDatabase, displayPath } from '../../config.js';
import type { RunDetailJson, RunSummaryJson } from '../../contract.js';
import { BalanceOpsError } from '../../errors.js';
import { LATEST_SCHEMA_VERSION } from '../../store/sqlite/migrations.js';
import type { RunStatus } from '../../store/types.js';
import { MAX_PAGE_SIZE, RunReader } from '../../tracking/readers.js';
import { Tracker } from '../../tracking/tracker.js';
import { demoRun } from '../../training/demo.js';
import { action, intOption } from '../context.js';
import { formatMetrics, table } from '../format.js';

export function registerTrackingCommands(program: Command): void {
  program
    .command('init-db')
    .description('create (or migrate) the tracking database and the artifacts folder')
    .option('--json', 'print the result as one JSON object')
    .action(
      action(async (ctx) => {
        await ctx.store();
        const runsDir = join(ctx.settings.artifactsDir, 'runs');
        mkdirSync(runsDir, { recursive: true });
        const result = {
          ok: true,
          db: displayDatabase(ctx.settings),
          schema_version: LATEST_SCHEMA_VERSION,
          artifacts_dir: displayPath(ctx.settings, ctx.settings.artifactsDir),
        };
        ctx.result(result, () => [
          `[OK] database ready: ${result.db} (schema v${result.schema_version})`,
          `[OK] artifacts: ${result.artifacts_dir}`,
        ]);
      }),
    );

  program
    .command('demo-run')
    .description('record a demo run (acc=0.90, bal_acc=0.88) with its folder, manifest and pointers')
    .option('--json', 'print {run_id, manifest_path}')
    .action(
      action(async (ctx) => {
        const result = await demoRun(new Tracker(await ctx.store(), ctx.settings));
        ctx.result(result, () => [
          `[OK] demo run recorded: ${result.run_id}`,
          `[OK] manifest: ${result.manifest_path}`,
        ]);
      }),
    );

  const runs = program.command('runs').description('list and inspect tracked runs');

  runs
    .command('list')
    .description('recent runs, newest first')
    .option('--limit <n>', `runs per page (1-${MAX_PAGE_SIZE})`, intOption(1, MAX_PAGE_SIZE), 20)
    .option('--offset <n>', 'runs to skip', intOption(0), 0)
    .option('--kind <kind>', 'only runs of this kind')
    .option('--status <status>', 'only runs with this status (running, success, failed)')
    .option('--search <text>', 'substring of run dir name, id, note, kind, branch or commit')
    .option('--sort <field>', 'created_at, kind, status, run_dir_name, or metric:<key>', 'created_at')
    .option('--asc', 'ascending order (default: descending)')
    .option('--json', 'print the page as one JSON object')
    .action(
      action(
        async (
          ctx,
          opts: {
            limit: number;
            offset: number;
            kind?: string;
            status?: RunStatus;
            search?: string;
            sort: string;
            asc?: boolean;
          },
        ) => {
          const reader = new RunReader(await ctx.store(), ctx.settings, (m) => ctx.warn(m));
          const page = await reader.listRuns({
            limit: opts.limit,
            offset: opts.offset,
            kind: opts.kind,
            status: opts.status,
            search: opts.search,
            sort: opts.sort as 'created_at',
            order: opts.asc ? 'asc' : 'desc',
            includeMetrics: true,
            withTotal: true,
          });
          ctx.result(page, () => runsTable(page.items, page.offset, page.total ?? page.count));
        },
      ),
    );

  runs
    .command('show')
    .description('one run: params, metrics, artifacts and manifest')
    .argument('<run_id>', 'run id (`latest` for the newest run)')
    .option('--json', 'print the run as one JSON object')
    .action(
      action(async (ctx, runId: string) => {
        const reader = new RunReader(await ctx.store(), ctx.settings, (m) => ctx.warn(m));
        const id = runId === 'latest' ? await reader.latestRunId() : runId;
        if (id === null) {
          throw new BalanceOpsError('RUN_NOT_FOUND', 'no runs yet', {
            hint: 'record one with `npx balanceops demo-run`',
          });
        }
        const detail = await reader.getRun(id);
        ctx.result(detail, () => runDetailLines(detail));
      }),
    );
}

function runsTable(items: RunSummaryJson[], offset: number, total: number): string[] {
  if (items.length === 0)
    return [
      offset > 0 ? `no runs past offset ${offset}` : 'no runs yet: record one with `npx balanceops demo-run`',
    ];
  const rows = items.map((r) => [
    r.run_dir_name ?? r.run_id,
    r.status,
    r.kind,
    formatMetrics(r.metrics ?? {}, 4),
    r.created_at,
  ]);
  return [
    ...table(['run', 'status', 'kind', 'metrics', 'created_at'], rows),
    `showing ${offset + 1}-${offset + items.length} of ${total}`,
  ];
}

function runDetailLines(d: RunDetailJson): string[] {
  const git =
    d.git.commit === null
      ? 'not a git checkout'
      : `${d.git.branch ?? '(detached)'}@${d.git.commit.slice(0, 12)}${d.git.dirty ? ' (dirty)' : ''}`;
  const lines = [
    `run_id:       ${d.run_id}`,
    `run_dir_name: ${d.run_dir_name ?? '-'}`,
    `kind:         ${d.kind}`,
    `status:       ${d.status}`,
    `created_at:   ${d.created_at}`,
    `finished_at:  ${d.finished_at ?? '-'}`,
    `git:          ${git}`,
    `note:         ${d.note ?? '-'}`,
    `manifest:     ${d.manifest_path ?? '-'}`,
    '',
    'params:',
    ...(Object.keys(d.params).length === 0
      ? ['  (none)']
      : Object.entries(d.params).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)),
    'metrics:',
    ...(Object.keys(d.metrics).length === 0
      ? ['  (none)']
      : Object.entries(d.metrics).map(([k, v]) => `  ${k} = ${v}`)),
    'artifacts:',
    ...(d.artifacts.length === 0
      ? ['  (none)']
      : d.artifacts.map(
          (a) =>
            `  [${a.kind}] ${a.path}${a.size === null ? '' : ` (${a.size} bytes)`}${a.exists ? '' : ' MISSING'}`,
        )),
  ];
  return lines;
}
