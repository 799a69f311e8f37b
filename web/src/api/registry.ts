import { apiPost } from './client';
import type { PromotionJson } from './types';

/** POST /models/promote for a run. */
export const promoteRun = (runId: string, name?: string) => (token: string) =>
  apiPost<PromotionJson>(
    '/models/promote',
    name === undefined ? { run_id: runId } : { run_id: runId, name },
    token,
  );

/** POST /models/rollback. */
export const rollback = (name?: string) => (token: string) =>
  apiPost<PromotionJson>('/models/rollback', name === undefined ? {} : { name }, token);
