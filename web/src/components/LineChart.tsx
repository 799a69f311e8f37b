import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatMetric } from '../lib/format';
import { useTimeZone } from '../state/time';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

interface LineChartProps {
  /** Unix seconds (time axis) or steps. */
  x: number[];
  series: ChartSeries[];
  xKind: 'time' | 'step';
  height?: number;
  label: string;
}

export const PALETTE = [
  '#4f46e5',
  '#0d9488',
  '#d97706',
  '#e11d48',
  '#0284c7',
  '#7c3aed',
  '#65a30d',
  '#db2777',
  '#475569',
  '#ea580c',
];

const AXIS = {
  stroke: '#6b7280',
  font: '11px system-ui, sans-serif',
  grid: { stroke: '#eef0f4', width: 1 },
  ticks: { stroke: '#e5e7eb', width: 1 },
};

/**
 * Lines over time or over steps, drawn by uPlot on a canvas. Callers memoize `x` and `series`: the plot
 * is rebuilt when they change. The element carries how many values it drew, for tests and tooling.
 */
export function LineChart({ x, series, xKind, height = 260, label }: LineChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const { utc, format } = useTimeZone();

  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const options: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      scales: { x: { time: xKind === 'time' } },
      series: [
        {
          label: xKind === 'time' ? 'time' : 'step',
          value: (_u, v) =>
            v === null ? '—' : xKind === 'time' ? format(new Date(v * 1000).toISOString()) : String(v),
        },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: true,
          points: { show: x.length <= 60, size: 5 },
          value: (_u: uPlot, v: number | null) => formatMetric(v),
        })),
      ],
      axes: [AXIS, { ...AXIS, size: 56, values: (_u, ticks) => ticks.map((t) => formatMetric(t)) }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      ...(utc ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') } : {}),
    };
    const plot = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, xKind, height, utc, format]);

  const drawn = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  return (
    <figure
      className="chart"
      aria-label={label}
      data-testid="chart"
      data-series={series.length}
      data-values={drawn}
    >
      <div ref={ref} className="chart-canvas" />
    </figure>
  );
}
