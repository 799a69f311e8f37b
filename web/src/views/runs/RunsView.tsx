import type { RunsPageJson } from '../../api/types';
import { useApi } from '../../api/useResource';
import { Card } from '../../components/Card';
import { Link } from '../../components/Link';
import { Pagination } from '../../components/Pagination';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { NO_RUNS_COMMANDS } from '../../lib/commands';
import { defaultMetrics } from '../../lib/metrics';
import { useAppData } from '../../state/app-data';
import { routeTo } from '../../state/router';
import { hasFilters, MAX_COMPARE, type RunsQuery, runsApiPath, useRunsQuery } from './query';
import { RunsFilters } from './RunsFilters';
import { RunsTable } from './RunsTable';

/** Default order when a column is first clicked: newest and highest first, text A to Z. */
const descendingFirst = (field: string) => field === 'created_at' || field.startsWith('metric:');

/** Recent runs: server-side search, filters, sort and pages, with a selection to compare. */
export function RunsView() {
  const [query, update] = useRunsQuery();
  const { meta } = useAppData();
  const page = useApi<RunsPageJson>(runsApiPath(query), { keepPrevious: true });
  const metricKeys = meta.data?.metric_keys ?? [];
  const defaultColumns = defaultMetrics(metricKeys, 3);
  const columns = query.columns ?? defaultColumns;

  const onSort = (field: string) => {
    if (field === query.sort) update({ order: query.order === 'asc' ? 'desc' : 'asc', page: null });
    else
      update({
        sort: field === 'created_at' ? null : field,
        order: descendingFirst(field) ? null : 'asc',
        page: null,
      });
  };
  const onSelect = (runId: string, selected: boolean) => {
    const next = selected
      ? [...query.selected, runId].slice(0, MAX_COMPARE)
      : query.selected.filter((id) => id !== runId);
    update({ sel: next.join(',') }, true);
  };

  const data = page.data;
  const total = data?.total ?? 0;
  return (
    <div className="view">
      <Card
        title="Recent runs"
        subtitle={
          data === undefined ? undefined : (
            <span data-testid="runs-count">
              Showing {data.count} / {total} runs
            </span>
          )
        }
        actions={<SelectionBar query={query} total={total} onClear={() => update({ sel: null }, true)} />}
        testId="runs-card"
      >
        <RunsFilters
          query={query}
          update={update}
          kinds={meta.data?.run_kinds ?? []}
          metricKeys={metricKeys}
          columns={columns}
          defaultColumns={defaultColumns}
        />
        {page.error !== undefined && (
          <ErrorNotice error={page.error} onRetry={page.reload} title="Could not load runs" />
        )}
        {data === undefined ? (
          page.error === undefined && <Loading label="Loading runs…" />
        ) : data.items.length === 0 ? (
          <NoRuns
            query={query}
            total={total}
            onClear={() => update({ q: null, kind: null, status: null, dirty: null })}
          />
        ) : (
          <div className={page.loading ? 'is-stale' : undefined} aria-busy={page.loading}>
            <RunsTable
              runs={data.items}
              query={query}
              columns={columns}
              onSort={onSort}
              onSelect={onSelect}
            />
            <Pagination
              page={query.page}
              pageSize={query.limit}
              total={total}
              onPage={(p) => update({ page: p === 1 ? null : String(p) })}
            />
          </div>
        )}
      </Card>
    </div>
  );
}

function SelectionBar({ query, total, onClear }: { query: RunsQuery; total: number; onClear: () => void }) {
  const n = query.selected.length;
  if (n === 0)
    return total === 0 ? null : (
      <span className="muted small">Tick 2 to {MAX_COMPARE} runs to compare them</span>
    );
  return (
    <div className="selection-bar">
      <span className="small">{n} selected</span>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onClear}>
        Clear
      </button>
      {n >= 2 ? (
        <Link to={routeTo('compare', { runs: query.selected.join(',') })} className="btn btn-primary btn-sm">
          Compare {n} runs
        </Link>
      ) : (
        <span className="btn btn-primary btn-sm disabled" aria-disabled="true">
          Compare
        </span>
      )}
    </div>
  );
}

function NoRuns({ query, total, onClear }: { query: RunsQuery; total: number; onClear: () => void }) {
  if (hasFilters(query)) {
    return (
      <div className="state state-empty" data-testid="empty-state">
        <strong className="state-title">No runs match these filters</strong>
        <button type="button" className="btn btn-sm" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  if (total > 0) return <EmptyState title="No runs on this page">Go back to the first page.</EmptyState>;
  return (
    <EmptyState title="No runs yet" commands={NO_RUNS_COMMANDS}>
      Record a run from the command line, then refresh:
    </EmptyState>
  );
}
