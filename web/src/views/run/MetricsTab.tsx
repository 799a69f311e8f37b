import { useMemo } from 'react';
import type { MetricHistoryJson, MetricPointJson } from '../../api/types';
import { useApi } from '../../api/useResource';
import { LineChart } from '../../components/LineChart';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { formatMetric } from '../../lib/format';
import { isStepSeries } from '../../lib/metrics';

/** Latest value of each metric, and a curve for each metric logged by step. */
export function MetricsTab({ runId, latest }: { runId: string; latest: Record<string, number> }) {
  const history = useApi<MetricHistoryJson>(`/runs/${encodeURIComponent(runId)}/metrics`);
  const keys = Object.keys(latest).sort();
  if (keys.length === 0) return <EmptyState title="This run logged no metrics" />;
  const points = history.data?.metrics ?? {};
  const curves = keys.filter((k) => isStepSeries(points[k]));
  return (
    <div className={curves.length > 0 ? 'metrics-layout' : 'stack'}>
      <div className="stack">
        <div className="table-wrap">
          <table className="table" aria-label="Latest metrics">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">
                  Latest
                </th>
                <th scope="col" className="num">
                  Points
                </th>
                <th scope="col" className="num">
                  Min
                </th>
                <th scope="col" className="num">
                  Max
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const values = (points[key] ?? []).map((p) => p.value);
                return (
                  <tr key={key}>
                    <th scope="row" className="mono">
                      {key}
                    </th>
                    <td className="num strong">{formatMetric(latest[key])}</td>
                    <td className="num">{history.data ? values.length : '…'}</td>
                    <td className="num">{values.length > 1 ? formatMetric(Math.min(...values)) : '—'}</td>
                    <td className="num">{values.length > 1 ? formatMetric(Math.max(...values)) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {history.error !== undefined && <ErrorNotice error={history.error} onRetry={history.reload} />}
        {history.data === undefined && history.error === undefined && (
          <Loading label="Loading metric histories…" />
        )}
      </div>
      {curves.length > 0 && (
        <div className="chart-grid">
          {curves.map((key) => (
            <StepCurve key={key} name={key} points={points[key] ?? []} />
          ))}
        </div>
      )}
    </div>
  );
}

function StepCurve({ name, points }: { name: string; points: MetricPointJson[] }) {
  const stepped = useMemo(() => points.filter((p) => p.step !== null), [points]);
  const x = useMemo(() => stepped.map((p) => p.step as number), [stepped]);
  const series = useMemo(() => [{ label: name, values: stepped.map((p) => p.value) }], [name, stepped]);
  return (
    <div className="chart-card" data-metric={name}>
      <h3 className="chart-title">
        {name} <span className="muted small">by step · {stepped.length} points</span>
      </h3>
      <LineChart x={x} series={series} xKind="step" height={220} label={`${name} by step`} />
    </div>
  );
}
