import { useEffect, useState } from 'react';
import { KindSelect } from '../../components/KindSelect';
import { MultiSelect } from '../../components/MultiSelect';
import { PAGE_SIZES, type RunsQuery } from './query';

interface RunsFiltersProps {
  query: RunsQuery;
  update: (patch: Record<string, string | null>, replace?: boolean) => void;
  kinds: string[];
  metricKeys: string[];
  columns: string[];
  defaultColumns: string[];
}

const SEARCH_DELAY_MS = 250;

/** Search, kind, status, dirty, page size, metrics on/off and metric columns: each one a URL parameter. */
export function RunsFilters({ query, update, kinds, metricKeys, columns, defaultColumns }: RunsFiltersProps) {
  const [search, setSearch] = useState(query.search);
  // The URL may change under the box (back button, "clear filters"): follow it.
  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => {
    if (search === query.search) return;
    const timer = window.setTimeout(() => update({ q: search }, true), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, query.search, update]);

  return (
    <div className="toolbar">
      <input
        className="input search"
        type="search"
        placeholder="Search runs…"
        title="Matches the run folder name, run id, note, kind, branch or commit"
        aria-label="Search runs"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <KindSelect kinds={kinds} value={query.kind} onChange={(kind) => update({ kind })} />
      <label className="inline-field">
        <span>Status</span>
        <select
          className="input"
          aria-label="Status filter"
          value={query.status}
          onChange={(e) => update({ status: e.target.value })}
        >
          <option value="">Any</option>
          <option value="success">success</option>
          <option value="failed">failed</option>
          <option value="running">running</option>
        </select>
      </label>
      <fieldset className="segmented" aria-label="Git state">
        {(['all', 'clean', 'dirty'] as const).map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={query.dirty === value}
            onClick={() => update({ dirty: value === 'all' ? null : value })}
          >
            {value === 'all' ? 'All' : value === 'clean' ? 'Clean' : 'Dirty'}
          </button>
        ))}
      </fieldset>
      <label className="inline-field">
        <span>Rows</span>
        <select
          className="input"
          value={query.limit}
          onChange={(e) => update({ limit: e.target.value === '20' ? null : e.target.value })}
          aria-label="Rows per page"
        >
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="switch">
        <input
          type="checkbox"
          checked={query.includeMetrics}
          onChange={(e) => update({ metrics: e.target.checked ? null : '0' })}
        />
        <span className="switch-track" aria-hidden="true" />
        Include metrics
      </label>
      {query.includeMetrics && metricKeys.length > 0 && (
        <MultiSelect
          label="Columns"
          options={metricKeys}
          selected={columns}
          defaults={defaultColumns}
          max={6}
          onChange={(next) =>
            update({ cols: next.join(',') === defaultColumns.join(',') ? null : next.join(',') || ',' })
          }
        />
      )}
    </div>
  );
}
