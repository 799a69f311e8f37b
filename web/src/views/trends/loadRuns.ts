import { apiGet, withQuery } from '../../api/client';
import type { RunSummaryJson, RunsPageJson } from '../../api/types';

const PAGE = 200;

/** The latest `n` runs with their metrics (pages of 200, the API's largest), oldest first. */
export async function loadLatestRuns(
  n: number,
  kind: string,
  signal: AbortSignal,
): Promise<RunSummaryJson[]> {
  const runs: RunSummaryJson[] = [];
  while (runs.length < n) {
    const limit = Math.min(PAGE, n - runs.length);
    const page = await apiGet<RunsPageJson>(
      withQuery('/runs', {
        limit,
        offset: runs.length,
        include_metrics: true,
        kind,
        sort: 'created_at',
        order: 'desc',
      }),
      signal,
    );
    runs.push(...page.items);
    if (page.items.length < limit) break;
  }
  return runs.reverse();
}
