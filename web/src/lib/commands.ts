/** What empty views tell people to run to get something to look at. */
export const NO_RUNS_COMMANDS = ['npx balanceops demo-run', 'npx balanceops train-dummy'];
export const TRAIN_COMMANDS = ['npx balanceops train-dummy'];
