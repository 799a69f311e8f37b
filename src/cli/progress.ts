/**
 * A one-line progress bar on stderr for long commands. It draws only on a terminal, so piped output,
 * logs and `--json` runs stay clean.
 */

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/**
 * @example
 *   const bar = new ProgressBar(process.stderr, !ctx.json);
 *   bar.update('loading data.csv', 0.42, '12.3 MB of 29.1 MB');
 *   bar.clear();
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private last = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressTarget,
    wanted: boolean,
  ) {
    this.enabled = wanted && out.isTTY === true;
  }

  /** Redraws the line (at most every 100 ms); `fraction` null draws no bar, for work of unknown length. */
  update(label: string, fraction: number | null, detail = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < REDRAW_MS) return;
    this.last = now;
    let bar = '';
    if (fraction !== null) {
      const f = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(f * BAR_WIDTH);
      bar = ` [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(f * 100)
        .toString()
        .padStart(3)}%`;
    }
    const line = `${label}${bar}${detail === '' ? '' : `  ${detail}`}`;
    // a pseudo-terminal may report 0 columns
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the line, leaving the terminal as it was. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
    this.last = 0;
  }
}

/** `12.3 MB`: sizes for progress details. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
