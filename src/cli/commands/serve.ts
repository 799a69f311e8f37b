import type { Command } from 'commander';
import { e2e } from '../../client/e2e.js';
import { DEFAULT_SMOKE_FEATURES, smoke } from '../../client/smoke.js';
import { displayDatabase, displayPath } from '../../config.js';
import { loadPolicy } from '../../registry/policy.js';
import { ModelRegistry } from '../../registry/registry.js';
import { Tracker } from '../../tracking/tracker.js';
import { demoRun } from '../../training/demo.js';
import { trainDummy } from '../../training/train-dummy.js';
import { action, floatOption, intOption } from '../context.js';
import { runServing, type ServingFlags, servingFlags } from '../serving.js';

/** Where `serve` and `start` mount the web dashboard (the `dashboard` command serves it at `/`). */
const DASHBOARD_MOUNT = '/dashboard/';

export function registerServeCommands(program: Command): void {
  servingFlags(
    program
      .command('serve')
      .description(
        'serve the HTTP API (predict, runs, models, docs, metrics, dashboard) with hot reload of the current model',
      ),
    { port: 8000, logLevel: 'info' },
  ).action(
    action(async (ctx, flags: ServingFlags) => {
      await runServing(ctx, flags, DASHBOARD_MOUNT, (url) => [
        `[OK] BalanceOps API on ${url} (docs: ${url}/docs, dashboard: ${url}${DASHBOARD_MOUNT})`,
      ]);
    }),
  );

  program
    .command('smoke')
    .description('HTTP smoke check: /health, /version, then /predict sized to the model')
    .option('--base-url <url>', 'API base URL (overrides --host/--port; default BALANCEOPS_API_URL)')
    .option('--host <host>', 'API host')
    .option('--port <port>', 'API port', intOption(1, 65535))
    .option('--timeout-sec <s>', 'per-request timeout', floatOption(0.1, 3600), 10)
    .option('--retries <n>', 'retries for connection failures and 5xx', intOption(0, 1000), 0)
    .option('--retry-delay-sec <s>', 'delay between retries', floatOption(0, 3600), 0.5)
    .option('--features <x...>', 'feature values for /predict', (v: string, prev: number[] | undefined) => {
      const n = floatOption(-Number.MAX_VALUE, Number.MAX_VALUE)(v);
      return [...(prev ?? []), n];
    })
    .option('--health-path <path>', 'health endpoint', '/health')
    .option('--predict-path <path>', 'predict endpoint', '/predict')
    .option('--skip-predict', 'only check /health')
    .option('--allow-predict-failure', 'a failing /predict is a warning, not a failure')
    .option('--fail-on-predict-404', 'a 404 from /predict (no current model) fails the check')
    .option('--json', 'print the result as one JSON object')
    .action(
      action(
        async (
          ctx,
          opts: {
            baseUrl?: string;
            host?: string;
            port?: number;
            timeoutSec: number;
            retries: number;
            retryDelaySec: number;
            features?: number[];
            healthPath: string;
            predictPath: string;
            skipPredict?: boolean;
            allowPredictFailure?: boolean;
            failOnPredict404?: boolean;
          },
        ) => {
          const baseUrl =
            opts.baseUrl ??
            (opts.host !== undefined || opts.port !== undefined
              ? `http://${opts.host ?? '127.0.0.1'}:${opts.port ?? 8000}`
              : ctx.settings.apiUrl);
          const result = await smoke({
            baseUrl,
            timeoutSec: opts.timeoutSec,
            retries: opts.retries,
            retryDelaySec: opts.retryDelaySec,
            features: opts.features ?? DEFAULT_SMOKE_FEATURES,
            skipPredict: opts.skipPredict,
            allowPredictFailure: opts.allowPredictFailure,
            failOnPredict404: opts.failOnPredict404,
            healthPath: opts.healthPath,
            predictPath: opts.predictPath,
            ...(ctx.json ? { log: () => undefined, warn: () => undefined } : {}),
          });
          if (ctx.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          if (!result.ok) {
            if (!ctx.json) process.stderr.write(`[ERR] smoke check failed: ${result.error}\n`);
            process.exitCode = 1;
          }
        },
      ),
    );

  program
    .command('e2e')
    .description('init -> train and promote -> serve -> smoke -> stop, in a fresh temporary sandbox')
    .option('--host <host>', 'address for the temporary server', '127.0.0.1')
    .option('--port <port>', 'port for the temporary server', intOption(1, 65535), 8010)
    .option('--keep', 'keep the sandbox folder')
    .option('--json', 'print the result as one JSON object')
    .action(
      action(async (ctx, opts: { host: string; port: number; keep?: boolean }) => {
        const result = await e2e({
          host: opts.host,
          port: opts.port,
          keep: opts.keep,
          cliEntry: process.argv[1] as string,
          ...(ctx.json ? { log: () => undefined } : {}),
        });
        if (ctx.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        if (!result.ok) {
          if (!ctx.json) process.stderr.write('[ERR] e2e failed\n');
          process.exitCode = 1;
        }
      }),
    );

  servingFlags(
    program
      .command('start')
      .description(
        'the main job: local database, a demo run and a promoted model when missing, then the API and dashboard',
      ),
    { port: 8000, logLevel: 'warn' },
  ).action(
    action(async (ctx, flags: ServingFlags) => {
      const settings = ctx.settings;
      const store = await ctx.store();
      const tracker = new Tracker(store, settings);
      const registry = new ModelRegistry(store, settings);
      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`[OK] database:  ${displayDatabase(settings)}`);
      say(`[OK] artifacts: ${displayPath(settings, settings.artifactsDir)}`);
      if ((await store.latestRunId()) === null) {
        const demo = await demoRun(tracker);
        say(`[OK] demo run:  ${demo.run_id} (${demo.manifest_path})`);
      }
      if ((await registry.current()) === null) {
        const trained = await trainDummy(tracker, registry, { policy: loadPolicy(settings.policyPath) });
        say(`[OK] model:     trained ${trained.run_id}, promoted=${trained.promoted} (${trained.reason})`);
      }
      const current = await registry.currentJson();
      if (current !== null)
        say(`[OK] current:   ${current.name} v${current.version} (run ${current.run_id})`);
      await ctx.close();
      await runServing(
        ctx,
        flags,
        DASHBOARD_MOUNT,
        (url) => [
          '',
          `  dashboard  ${url}${DASHBOARD_MOUNT}`,
          `  API        ${url}`,
          `  API docs   ${url}/docs`,
          `  metrics    ${url}/metrics`,
          '',
          `try: curl -s ${url}/predict -H 'content-type: application/json' -d '{"features": [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9]}'`,
          'stop with Ctrl-C',
        ],
        process.stdout,
      );
    }),
  );
}
