import { useMemo } from 'react';
import { withQuery } from '../../api/client';
import type { RunsPageJson } from '../../api/types';
import { useApi, useResource } from '../../api/useResource';
import { Card } from '../../components/Card';
import { PALETTE } from '../../components/LineChart';
import { Link } from '../../components/Link';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { parseList } from '../../lib/metrics';
import { routeTo, runRoute, useQueryState } from '../../state/router';
import { MAX_COMPARE } from '../runs/query';
import { CompareCurves } from './CompareCurves';
import { CompareTables } from './CompareTables';
import { loadCompared } from './loadCompared';

/** Two to ten runs side by side: params with differences marked, metrics, and overlaid step curves. */
export function CompareView() {
  const [query, update] = useQueryState();
  const idsText = query.get('runs') ?? '';
  const ids = useMemo(() => parseList(idsText).slice(0, MAX_COMPARE), [idsText]);
  const setIds = (next: string[]) => update({ runs: next.join(',') });
  const compared = useResource(ids.length >= 2 ? `compare:${ids.join(',')}` : null, (signal) =>
    loadCompared(ids, signal),
  );

  return (
    <div className="view">
      <Card
        title="Compare runs"
        subtitle={`${ids.length} of up to ${MAX_COMPARE} runs`}
        actions={<AddRun ids={ids} onAdd={(id) => setIds([...ids, id])} />}
        testId="compare-card"
      >
        <div className="run-chips">
          {ids.map((id, i) => {
            const run = compared.data?.find((c) => c.run.run_id === id)?.run;
            return (
              <span key={id} className="run-chip" style={{ borderColor: PALETTE[i % PALETTE.length] }}>
                <span
                  className="swatch"
                  style={{ background: PALETTE[i % PALETTE.length] }}
                  aria-hidden="true"
                />
                <Link to={runRoute(id)}>{run?.run_dir_name ?? id.slice(0, 8)}</Link>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${run?.run_dir_name ?? id} from the comparison`}
                  onClick={() => setIds(ids.filter((x) => x !== id))}
                >
                  ×
                </button>
              </span>
            );
          })}
        </div>
        {ids.length < 2 ? (
          <EmptyState title="Pick at least two runs">
            Tick runs in the <Link to={routeTo('', { sel: ids.join(',') })}>runs table</Link>, or add them
            here with “Add run”.
          </EmptyState>
        ) : compared.error !== undefined ? (
          <ErrorNotice error={compared.error} onRetry={compared.reload} title="Could not load the runs" />
        ) : compared.data === undefined ? (
          <Loading label="Loading runs…" />
        ) : (
          <div className="stack-lg">
            <CompareTables
              runs={compared.data}
              onlyDiff={query.get('diff') === '1'}
              onOnlyDiff={(on) => update({ diff: on ? '1' : null }, true)}
            />
            <CompareCurves runs={compared.data} />
          </div>
        )}
      </Card>
    </div>
  );
}

function AddRun({ ids, onAdd }: { ids: string[]; onAdd: (id: string) => void }) {
  const recent = useApi<RunsPageJson>(withQuery('/runs', { limit: 100, include_metrics: false }));
  const choices = (recent.data?.items ?? []).filter((r) => !ids.includes(r.run_id));
  return (
    <select
      className="input add-run"
      aria-label="Add run"
      value=""
      disabled={ids.length >= MAX_COMPARE || choices.length === 0}
      onChange={(e) => e.target.value !== '' && onAdd(e.target.value)}
    >
      <option value="">Add run…</option>
      {choices.map((run) => (
        <option key={run.run_id} value={run.run_id}>
          {run.run_dir_name ?? run.run_id} · {run.kind}
        </option>
      ))}
    </select>
  );
}
