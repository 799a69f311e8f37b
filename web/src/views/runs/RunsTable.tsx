import type { RunSummaryJson } from '../../api/types';
import { DirtyBadge, StatusBadge } from '../../components/Badge';
import { Link } from '../../components/Link';
import { Time } from '../../components/Time';
import { formatMetric, gitLabel, metricsPreview, shortId } from '../../lib/format';
import { runRoute } from '../../state/router';
import { MAX_COMPARE, type RunsQuery } from './query';

interface RunsTableProps {
  runs: RunSummaryJson[];
  query: RunsQuery;
  columns: string[];
  onSort: (field: string) => void;
  onSelect: (runId: string, selected: boolean) => void;
}

function SortHeader({
  field,
  label,
  query,
  onSort,
}: {
  field: string;
  label: string;
  query: RunsQuery;
  onSort: (f: string) => void;
}) {
  const active = query.sort === field;
  return (
    <th aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'} scope="col">
      <button type="button" className={`sort${active ? ' active' : ''}`} onClick={() => onSort(field)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** One page of runs; every header sorts on the server (metric columns through `sort=metric:<key>`). */
export function RunsTable({ runs, query, columns, onSort, onSelect }: RunsTableProps) {
  const full = query.selected.length >= MAX_COMPARE;
  return (
    <div className="table-wrap">
      <table className="table runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th className="col-check" scope="col">
              <span className="visually-hidden">Select for compare</span>
            </th>
            <SortHeader field="created_at" label="Created" query={query} onSort={onSort} />
            <SortHeader field="run_dir_name" label="Run" query={query} onSort={onSort} />
            <SortHeader field="kind" label="Kind" query={query} onSort={onSort} />
            <SortHeader field="status" label="Status" query={query} onSort={onSort} />
            <SortHeader field="branch" label="Git" query={query} onSort={onSort} />
            <SortHeader field="note" label="Note" query={query} onSort={onSort} />
            {query.includeMetrics &&
              columns.map((key) => (
                <SortHeader key={key} field={`metric:${key}`} label={key} query={query} onSort={onSort} />
              ))}
            {query.includeMetrics && <th scope="col">Metrics</th>}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const checked = query.selected.includes(run.run_id);
            const name = run.run_dir_name ?? run.run_id;
            return (
              <tr key={run.run_id} className={checked ? 'selected' : undefined} data-run-id={run.run_id}>
                <td className="col-check">
                  <input
                    type="checkbox"
                    checked={checked}
                    disabled={!checked && full}
                    onChange={(e) => onSelect(run.run_id, e.target.checked)}
                    aria-label={`Select ${name}`}
                  />
                </td>
                <td className="nowrap">
                  <Time iso={run.created_at} />
                </td>
                <td className="col-run">
                  {/* run folder names end with the short id already; bare ids (older runs) are shortened */}
                  <Link to={runRoute(run.run_id)} className="run-link" title={run.run_id}>
                    {run.run_dir_name ?? shortId(run.run_id)}
                  </Link>
                </td>
                <td>
                  <span className="kind">{run.kind}</span>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td className="nowrap">
                  <code className="git">{gitLabel(run.git)}</code> <DirtyBadge dirty={run.git.dirty} />
                </td>
                <td className="col-note" title={run.note ?? undefined}>
                  {run.note ?? <span className="muted">—</span>}
                </td>
                {query.includeMetrics &&
                  columns.map((key) => (
                    <td key={key} className="num" data-metric={key}>
                      {formatMetric(run.metrics?.[key])}
                    </td>
                  ))}
                {query.includeMetrics && (
                  <td className="col-preview" title={metricsPreview(run.metrics, 100)}>
                    {metricsPreview(run.metrics) || <span className="muted">—</span>}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
