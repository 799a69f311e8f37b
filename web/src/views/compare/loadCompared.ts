import { apiGet } from '../../api/client';
import type { MetricHistoryJson, RunDetailJson } from '../../api/types';

export interface ComparedRun {
  run: RunDetailJson;
  history: MetricHistoryJson['metrics'];
}

/** Detail and metric histories of each run, in the order given. */
export function loadCompared(ids: string[], signal: AbortSignal): Promise<ComparedRun[]> {
  return Promise.all(
    ids.map(async (id) => {
      const path = `/runs/${encodeURIComponent(id)}`;
      const [run, history] = await Promise.all([
        apiGet<RunDetailJson>(path, signal),
        apiGet<MetricHistoryJson>(`${path}/metrics`, signal),
      ]);
      return { run, history: history.metrics };
    }),
  );
}

/** Whether a row's values are not all the same (a missing value differs from any value). */
export function differs(values: unknown[]): boolean {
  const texts = values.map((v) => (v === undefined ? '\u0000missing' : JSON.stringify(v)));
  return new Set(texts).size > 1;
}
