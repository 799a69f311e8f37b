import { withQuery } from '../../api/client';
import type { RunsPageJson } from '../../api/types';
import { useApi } from '../../api/useResource';
import { useRefresh } from '../../state/refresh';
import { navigate, routeTo, runRoute } from '../../state/router';

/** Choose a run among the latest 100 (or keep the one in the URL), jump to the latest, refresh. */
export function RunPicker({ runId, tab }: { runId: string | null; tab: string }) {
  const recent = useApi<RunsPageJson>(withQuery('/runs', { limit: 100, include_metrics: false }));
  const refresh = useRefresh();
  const items = recent.data?.items ?? [];
  const listed = runId === null || items.some((r) => r.run_id === runId);
  return (
    <div className="picker">
      <label className="inline-field grow">
        <span>Run</span>
        <select
          className="input"
          aria-label="Select run"
          value={runId ?? ''}
          onChange={(e) => navigate(runRoute(e.target.value, tab))}
        >
          {runId === null && <option value="">latest run</option>}
          {!listed && <option value={runId}>{runId}</option>}
          {items.map((run) => (
            <option key={run.run_id} value={run.run_id}>
              {run.run_dir_name ?? run.run_id} · {run.kind}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn" onClick={() => navigate(routeTo('run', { tab }))}>
        Latest
      </button>
      <button type="button" className="btn" onClick={refresh}>
        Refresh run
      </button>
    </div>
  );
}
