import { randomUUID } from 'node:crypto';

/** The one id generator: run ids are random UUIDs (v4). */
export function newRunId(): string {
  return randomUUID();
}

// Run ids reach file names (`_by_id/<run_id>.json`) and URLs, so only a conservative alphabet is accepted
// when looking one up: a UUID, or a legacy id of letters, digits, `-` and `_`.
const RUN_ID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$/;

export function isPlausibleRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
