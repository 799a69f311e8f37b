import type { Command } from 'commander';
import { action } from '../context.js';
import { runServing, type ServingFlags, servingFlags } from '../serving.js';

/** `balanceops dashboard`: the web UI at `/`, with the API it reads from on the same origin. */
export function registerDashboardCommands(program: Command): void {
  servingFlags(
    program
      .command('dashboard')
      .description('serve the web dashboard (runs, trends, run detail, compare, registry) with its API'),
    { port: 8501, logLevel: 'warn' },
  ).action(
    action(async (ctx, flags: ServingFlags) => {
      await runServing(ctx, flags, '/', (url) => [
        `[OK] BalanceOps dashboard on ${url} (API on the same origin; docs: ${url}/docs)`,
      ]);
    }),
  );
}
