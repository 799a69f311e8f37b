/** Plain-text rendering for human CLI output (never used with `--json`). */

export function formatMetrics(metrics: Record<string, number>, digits: number): string {
  const entries = Object.entries(metrics);
  if (entries.length === 0) return '-';
  return entries.map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(digits)}`).join(' ');
}

/** Left-aligned columns separated by two spaces, with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
