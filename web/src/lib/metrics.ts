import type { MetricPointJson } from '../api/types';

/** Metrics shown first when they exist, in this order (the original dashboard's picks). */
export const PREFERRED_METRICS = ['roc_auc', 'f1', 'bal_acc', 'accuracy', 'acc', 'loss'] as const;

/** The preferred metrics among `available`, or the first few when none of them is there. */
export function defaultMetrics(
  available: readonly string[],
  max: number = PREFERRED_METRICS.length,
): string[] {
  const preferred = PREFERRED_METRICS.filter((k) => available.includes(k));
  return (preferred.length > 0 ? preferred : available.slice(0, 3)).slice(0, max);
}

/** A metric logged as a curve: at least two points with a step. */
export function isStepSeries(points: readonly MetricPointJson[] | undefined): boolean {
  return (points ?? []).filter((p) => p.step !== null).length >= 2;
}

/** A comma-separated list from the URL, de-duplicated, empty entries dropped. */
export function parseList(value: string | null): string[] {
  if (value === null) return [];
  return [...new Set(value.split(',').map((v) => v.trim()))].filter((v) => v !== '');
}
