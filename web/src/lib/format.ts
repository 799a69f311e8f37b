import type { GitJson } from '../api/types';

/** A metric value as people read it: 4 significant digits, integers as they are. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The first 8 characters of a run id, as run folder names show it. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}

/** `acc=0.9, bal_acc=0.88, …`: the first few metrics, by name. */
export function metricsPreview(metrics: Record<string, number> | undefined, max = 6): string {
  if (metrics === undefined) return '';
  const keys = Object.keys(metrics).sort();
  const parts = keys.slice(0, max).map((k) => `${k}=${formatMetric(metrics[k])}`);
  if (keys.length > max) parts.push(`+${keys.length - max} more`);
  return parts.join(', ');
}

/** `main@1a2b3c4d`, or what is known of it. */
export function gitLabel(git: GitJson | undefined): string {
  if (git === undefined) return '—';
  const commit = git.commit ? git.commit.slice(0, 8) : null;
  if (git.branch && commit) return `${git.branch}@${commit}`;
  return git.branch ?? commit ?? '—';
}

/** Param values in tables: strings bare, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '—';
  return JSON.stringify(value);
}

/** Nested params as dotted keys (`optimizer.lr`), arrays kept whole. */
export function flatten(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (
      inner !== null &&
      typeof inner === 'object' &&
      !Array.isArray(inner) &&
      Object.keys(inner).length > 0
    ) {
      out.push(...flatten(inner as Record<string, unknown>, path));
    } else out.push([path, inner]);
  }
  return out;
}
