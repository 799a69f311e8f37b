#!/usr/bin/env node
import { CommanderError } from 'commander';
import { failActiveRuns } from '../tracking/tracker.js';
import { reportError, shutdown } from './context.js';
import { buildProgram } from './program.js';

function onSignal(signal: NodeJS.Signals): void {
  void shutdown(signal);
}

async function main(argv: string[]): Promise<void> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by outputError
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    await failActiveRuns();
    reportError(err, false, argv.includes('--debug'));
    process.exitCode = 1;
  }
}

await main(process.argv);
