/** Public library API of BalanceOps. */
export { DEFAULTS, displayDatabase, displayPath, loadSettings, type Settings } from './config.js';
export type * from './contract.js';
export { BalanceOpsError, ERROR_CATALOGUE, type ErrorCode, isBalanceOpsError } from './errors.js';
export { openStore } from './store/index.js';
export type * from './store/types.js';
export { RunReader } from './tracking/readers.js';
export { RunFolders, type RunManifest, type RunPointer, runDirName } from './tracking/run-folders.js';
export { ActiveRun, type FinishedRun, type StartRunOptions, Tracker } from './tracking/tracker.js';
export { PACKAGE } from './version.js';
