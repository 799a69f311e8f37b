import { withQuery } from '../../api/client';
import { parseList } from '../../lib/metrics';
import { updateQuery, useQueryState } from '../../state/router';

export const PAGE_SIZES = [20, 50, 100, 200] as const;
export const MAX_COMPARE = 10;

export type DirtyFilter = 'all' | 'clean' | 'dirty';
export type SortOrder = 'asc' | 'desc';

/** The runs view's state, all of it in the URL: filters, sort, page, metric columns, selection. */
export interface RunsQuery {
  search: string;
  kind: string;
  status: string;
  dirty: DirtyFilter;
  limit: number;
  includeMetrics: boolean;
  sort: string;
  order: SortOrder;
  page: number;
  /** Metric columns; null until chosen (then the defaults are shown). */
  columns: string[] | null;
  selected: string[];
}

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

export function parseRunsQuery(query: URLSearchParams): RunsQuery {
  const limit = Number(query.get('limit'));
  const dirty = query.get('dirty');
  return {
    search: query.get('q') ?? '',
    kind: query.get('kind') ?? '',
    status: query.get('status') ?? '',
    dirty: dirty === 'clean' || dirty === 'dirty' ? dirty : 'all',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : PAGE_SIZES[0],
    includeMetrics: query.get('metrics') !== '0',
    sort: query.get('sort') ?? 'created_at',
    order: query.get('order') === 'asc' ? 'asc' : 'desc',
    page: positiveInt(query.get('page'), 1),
    columns: query.has('cols') ? parseList(query.get('cols')) : null,
    selected: parseList(query.get('sel')).slice(0, MAX_COMPARE),
  };
}

/** The API request for a runs query (server-side filters, sort and paging; the total counted too). */
export function runsApiPath(q: RunsQuery): string {
  return withQuery('/runs', {
    limit: q.limit,
    offset: (q.page - 1) * q.limit,
    include_metrics: q.includeMetrics,
    search: q.search.trim(),
    kind: q.kind,
    status: q.status,
    dirty: q.dirty === 'all' ? undefined : q.dirty === 'dirty',
    sort: q.sort,
    order: q.order,
    with_total: true,
  });
}

export function hasFilters(q: RunsQuery): boolean {
  return q.search.trim() !== '' || q.kind !== '' || q.status !== '' || q.dirty !== 'all';
}

const FILTER_KEYS = ['q', 'kind', 'status', 'dirty', 'limit'];

/** Writes the runs view's URL; a filter change goes back to page 1. */
export function updateRunsQuery(patch: Record<string, string | null>, replace?: boolean): void {
  const touchesFilters = Object.keys(patch).some((k) => FILTER_KEYS.includes(k));
  updateQuery(touchesFilters ? { ...patch, page: null } : patch, replace);
}

/** The runs view's state from the URL, and the way to change it. */
export function useRunsQuery(): [RunsQuery, typeof updateRunsQuery] {
  const [query] = useQueryState();
  return [parseRunsQuery(query), updateRunsQuery];
}
