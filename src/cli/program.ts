import { Command } from 'commander';
import { PACKAGE } from '../version.js';
import { registerDashboardCommands } from './commands/dashboard.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerServeCommands } from './commands/serve.js';
import { registerTabularCommands } from './commands/tabular.js';
import { registerTrackingCommands } from './commands/tracking.js';

/** The `balanceops` command line: one sub-command per step of the workflow. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('balanceops')
    .description('BalanceOps: experiment tracking, model registry, serving and dashboard')
    .version(PACKAGE.version, '-V, --version', 'print the BalanceOps version')
    .option('--debug', 'print stack traces on failure')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      // commander's own usage errors become the same one-line `[ERR]` as every other failure
      outputError: (text, write) => write(`[ERR] ${text.replace(/^error: /, '').trim()}\n`),
    })
    .exitOverride();
  registerTrackingCommands(program);
  registerRegistryCommands(program);
  registerServeCommands(program);
  registerDashboardCommands(program);
  registerTabularCommands(program);
  return program;
}
