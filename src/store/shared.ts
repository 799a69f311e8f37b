import type { MetricPoint, RunSortField } from './types.js';

/** Run fields a page can be sorted by, and the column behind each (shared by every SQL backend). */
export const RUN_SORT_COLUMNS: Record<RunSortField, string> = {
  created_at: 'created_at',
  kind: 'kind',
  status: 'status',
  run_dir_name: 'run_dir_name',
  note: 'note',
  branch: 'git_branch',
};

/** A LIKE pattern matching `term` anywhere, with `%`, `_` and `\` in the term taken literally. */
export function searchPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The point of each key that becomes its latest value after a batch: a later point wins unless both
 * carry steps and the later one's step is smaller (a late, out-of-order log of an earlier step).
 */
export function latestPerKey(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const seen = latest.get(p.key);
    if (seen === undefined || p.step == null || seen.step == null || p.step >= seen.step)
      latest.set(p.key, p);
  }
  return [...latest.values()];
}
