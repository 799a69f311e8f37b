import { useMemo } from 'react';
import { LineChart } from '../../components/LineChart';
import { isStepSeries } from '../../lib/metrics';
import type { ComparedRun } from './loadCompared';

/** For each metric logged by step in any of the runs: one chart, one line per run. */
export function CompareCurves({ runs }: { runs: ComparedRun[] }) {
  const keys = useMemo(
    () =>
      [
        ...new Set(runs.flatMap((c) => Object.keys(c.history).filter((k) => isStepSeries(c.history[k])))),
      ].sort(),
    [runs],
  );
  if (keys.length === 0) return null;
  return (
    <section className="compare-section">
      <header className="section-header">
        <h3>Curves</h3>
      </header>
      <div className="chart-grid">
        {keys.map((key) => (
          <OverlaidCurve key={key} name={key} runs={runs} />
        ))}
      </div>
    </section>
  );
}

function OverlaidCurve({ name, runs }: { name: string; runs: ComparedRun[] }) {
  const { x, series } = useMemo(() => {
    const byRun = runs.map(
      (c) =>
        new Map(
          (c.history[name] ?? []).filter((p) => p.step !== null).map((p) => [p.step as number, p.value]),
        ),
    );
    const steps = [...new Set(byRun.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    return {
      x: steps,
      series: runs.map((c, i) => ({
        label: c.run.run_dir_name ?? c.run.run_id.slice(0, 8),
        values: steps.map((s) => byRun[i]?.get(s) ?? null),
      })),
    };
  }, [name, runs]);
  return (
    <div className="chart-card" data-metric={name}>
      <h3 className="chart-title">
        {name} <span className="muted small">by step</span>
      </h3>
      <LineChart x={x} series={series} xKind="step" height={240} label={`${name} by step, all runs`} />
    </div>
  );
}
