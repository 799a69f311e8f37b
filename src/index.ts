/** Public library API of BalanceOps. */
export { DEFAULTS, displayDatabase, displayPath, loadSettings, type Settings } from './config.js';
export type * from './contract.js';
export { BalanceOpsError, ERROR_CATALOGUE, type ErrorCode, isBalanceOpsError } from './errors.js';
export { DummyModel } from './models/dummy.js';
export { knownModelTypes, loadModel, parseModel, registerModelType, saveModel } from './models/load.js';
export type { ModelDocument, Predictor } from './models/types.js';
export { DEFAULT_POLICY, decide, loadPolicy, type PromotionPolicy } from './registry/policy.js';
export { promoteRun } from './registry/promote-run.js';
export { DEFAULT_MODEL_NAME, ModelRegistry } from './registry/registry.js';
export { openStore } from './store/index.js';
export type * from './store/types.js';
export { RunReader } from './tracking/readers.js';
export { RunFolders, type RunManifest, type RunPointer, runDirName } from './tracking/run-folders.js';
export { ActiveRun, type FinishedRun, type StartRunOptions, Tracker } from './tracking/tracker.js';
export { demoRun } from './training/demo.js';
export { trainDummy } from './training/train-dummy.js';
export { PACKAGE } from './version.js';
