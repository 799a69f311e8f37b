import { displayPath } from '../config.js';
import type { Tracker } from '../tracking/tracker.js';

export interface DemoResult {
  run_id: string;
  run_dir_name: string;
  manifest_path: string;
  metrics: Record<string, number>;
}

/**
 * The wiring check of the original: a run of kind `demo` with `acc=0.90` and `bal_acc=0.88`, plus a short
 * `loss` curve logged by step so that step histories show up in the dashboard from the first run.
 */
export async function demoRun(tracker: Tracker): Promise<DemoResult> {
  const { run } = await tracker.withRun(
    { kind: 'demo', note: 'demo run for wiring check', params: { seed: 42 } },
    async (active) => {
      await active.logMetricPoints(
        Array.from({ length: 20 }, (_, step) => ({
          key: 'loss',
          value: 0.25 + 0.45 * Math.exp(-step / 5),
          step,
        })),
      );
      await active.logMetrics({ acc: 0.9, bal_acc: 0.88 });
    },
  );
  return {
    run_id: run.runId,
    run_dir_name: run.runDirName,
    manifest_path: displayPath(tracker.settings, run.manifestPath),
    metrics: run.metrics,
  };
}
