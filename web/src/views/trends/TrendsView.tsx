import { useId, useMemo } from 'react';
import type { RunSummaryJson } from '../../api/types';
import { useResource } from '../../api/useResource';
import { Card } from '../../components/Card';
import { KindSelect } from '../../components/KindSelect';
import { LineChart } from '../../components/LineChart';
import { Link } from '../../components/Link';
import { MultiSelect } from '../../components/MultiSelect';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { NO_RUNS_COMMANDS } from '../../lib/commands';
import { formatMetric } from '../../lib/format';
import { defaultMetrics, parseList } from '../../lib/metrics';
import { useAppData } from '../../state/app-data';
import { runRoute, useQueryState } from '../../state/router';
import { loadLatestRuns } from './loadRuns';

const N_MIN = 5;
const N_MAX = 500;
const N_DEFAULT = 50;

/** Metrics of the latest N runs over time: a chart and the values behind it. */
export function TrendsView() {
  const [query, update] = useQueryState();
  const { meta } = useAppData();
  const sliderId = useId();
  const metricKeys = meta.data?.metric_keys ?? [];
  const defaults = defaultMetrics(metricKeys);
  const chosenText = query.has('m') ? (query.get('m') ?? '') : defaults.join(',');
  const chosen = useMemo(() => parseList(chosenText), [chosenText]);
  const rawN = Number(query.get('n') ?? N_DEFAULT);
  const n = Number.isInteger(rawN) ? Math.min(N_MAX, Math.max(N_MIN, rawN)) : N_DEFAULT;
  const kind = query.get('kind') ?? '';
  const keepEmpty = query.get('empty') === 'keep';

  const runs = useResource(`trends:${n}:${kind}`, (signal) => loadLatestRuns(n, kind, signal), {
    keepPrevious: true,
  });
  const rows = useMemo(() => {
    const all = runs.data ?? [];
    return keepEmpty ? all : all.filter((run) => chosen.some((k) => run.metrics?.[k] !== undefined));
  }, [runs.data, keepEmpty, chosen]);

  return (
    <div className="view">
      <Card title="Metric trends" subtitle="Latest runs over time, oldest on the left" testId="trends-card">
        <div className="toolbar">
          <MultiSelect
            label="Metrics"
            options={metricKeys}
            selected={chosen}
            defaults={defaults}
            onChange={(next) =>
              update({ m: next.join(',') === defaults.join(',') ? null : next.join(',') || ',' }, true)
            }
          />
          <div className="inline-field slider-field">
            <label htmlFor={sliderId}>Latest</label>
            <input
              id={sliderId}
              type="range"
              min={N_MIN}
              max={N_MAX}
              step={5}
              value={n}
              onChange={(e) =>
                update({ n: e.target.value === String(N_DEFAULT) ? null : e.target.value }, true)
              }
              aria-label="Latest N runs"
            />
            <output className="slider-value">{n} runs</output>
          </div>
          <KindSelect
            kinds={meta.data?.run_kinds ?? []}
            value={kind}
            onChange={(next) => update({ kind: next }, true)}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={!keepEmpty}
              onChange={(e) => update({ empty: e.target.checked ? null : 'keep' }, true)}
            />
            Drop runs without these metrics
          </label>
        </div>
        {runs.error !== undefined && (
          <ErrorNotice error={runs.error} onRetry={runs.reload} title="Could not load runs" />
        )}
        {runs.data === undefined ? (
          runs.error === undefined && <Loading label="Loading runs…" />
        ) : runs.data.length === 0 ? (
          <EmptyState title="No runs yet" commands={NO_RUNS_COMMANDS}>
            Trends appear once runs have recorded metrics:
          </EmptyState>
        ) : chosen.length === 0 ? (
          <EmptyState title="Pick at least one metric">Use the Metrics menu above.</EmptyState>
        ) : rows.length === 0 ? (
          <EmptyState title="None of these runs recorded the chosen metrics">
            Pick other metrics, or widen the run window.
          </EmptyState>
        ) : (
          <TrendBody rows={rows} metrics={chosen} />
        )}
      </Card>
    </div>
  );
}

function TrendBody({ rows, metrics }: { rows: RunSummaryJson[]; metrics: string[] }) {
  const x = useMemo(() => rows.map((r) => Date.parse(r.created_at) / 1000), [rows]);
  const series = useMemo(
    () => metrics.map((key) => ({ label: key, values: rows.map((r) => r.metrics?.[key] ?? null) })),
    [rows, metrics],
  );
  return (
    <>
      <LineChart x={x} series={series} xKind="time" height={300} label="Metric trends chart" />
      <div className="table-wrap table-scroll">
        <table className="table" data-testid="trends-table">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Run</th>
              <th scope="col">Kind</th>
              {metrics.map((key) => (
                <th key={key} scope="col" className="num">
                  {key}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...rows].reverse().map((run) => (
              <tr key={run.run_id}>
                <td className="nowrap">
                  <Time iso={run.created_at} />
                </td>
                <td>
                  <Link to={runRoute(run.run_id)}>{run.run_dir_name ?? run.run_id}</Link>
                </td>
                <td>{run.kind}</td>
                {metrics.map((key) => (
                  <td key={key} className="num">
                    {formatMetric(run.metrics?.[key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
