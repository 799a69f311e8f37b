import { useEffect } from 'react';
import { ApiError } from '../../api/client';
import { promoteRun } from '../../api/registry';
import type { RunDetailJson } from '../../api/types';
import { useApi } from '../../api/useResource';
import { DirtyBadge, StatusBadge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { Link } from '../../components/Link';
import { RegistryAction } from '../../components/RegistryAction';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { NO_RUNS_COMMANDS } from '../../lib/commands';
import { gitLabel } from '../../lib/format';
import { navigate, routeTo, runRoute, useQueryState } from '../../state/router';
import { ArtifactsTab } from './ArtifactsTab';
import { ManifestTab } from './ManifestTab';
import { MetricsTab } from './MetricsTab';
import { ParamsTab } from './ParamsTab';
import { RunPicker } from './RunPicker';

const TABS = ['params', 'metrics', 'artifacts', 'manifest'] as const;
type Tab = (typeof TABS)[number];

/** One run: who, when, from which commit; its params, metrics and curves, artifacts and manifest. */
export function RunView({ runId }: { runId: string | null }) {
  const [query, update] = useQueryState();
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '')
    ? (query.get('tab') as Tab)
    : 'params';
  const path = runId === null ? '/runs/latest' : `/runs/${encodeURIComponent(runId)}`;
  const run = useApi<RunDetailJson>(path);

  // `run` alone means the latest run: name it in the URL, so that a copied link keeps showing this one.
  useEffect(() => {
    if (runId === null && run.data !== undefined)
      navigate(runRoute(run.data.run_id, query.get('tab') ?? undefined), { replace: true });
  }, [runId, run.data, query]);

  const noRuns = runId === null && run.error instanceof ApiError && run.error.code === 'RUN_NOT_FOUND';
  return (
    <div className="view">
      <Card title="Run detail" actions={<RunPicker runId={runId} tab={tab} />} testId="run-card">
        {noRuns ? (
          <EmptyState title="No runs yet" commands={NO_RUNS_COMMANDS}>
            Record a run, then press Latest:
          </EmptyState>
        ) : run.error !== undefined ? (
          <ErrorNotice error={run.error} onRetry={run.reload} title="Could not load the run" />
        ) : run.data === undefined ? (
          <Loading label="Loading run…" />
        ) : (
          <RunBody
            run={run.data}
            tab={tab}
            onTab={(t) => update({ tab: t === 'params' ? null : t, as: null }, true)}
          />
        )}
      </Card>
    </div>
  );
}

function RunBody({ run, tab, onTab }: { run: RunDetailJson; tab: Tab; onTab: (t: Tab) => void }) {
  return (
    <div className="stack" data-testid="run-detail" data-run-id={run.run_id}>
      <div className="run-head">
        <div>
          <h3 className="run-title">{run.run_dir_name ?? run.run_id}</h3>
          <p className="run-id mono">
            {run.run_id} <CopyButton text={run.run_id} label="Copy run id" />
          </p>
        </div>
        <div className="run-head-actions">
          <Link
            to={routeTo('', { sel: run.run_id })}
            className="btn"
            title="Pick runs to compare this one with"
          >
            Compare with…
          </Link>
          <RegistryAction
            label="Promote"
            title="Promote this run's model"
            description={
              <>
                Make the model of run <code>{run.run_dir_name ?? run.run_id}</code> the current one, whatever
                the policy says. The served model changes on the next request; roll back from the header.
              </>
            }
            confirmLabel="Promote"
            perform={promoteRun(run.run_id)}
          />
        </div>
      </div>
      <dl className="facts facts-grid">
        <dt>created</dt>
        <dd>
          <Time iso={run.created_at} />
        </dd>
        <dt>finished</dt>
        <dd>
          <Time iso={run.finished_at} />
        </dd>
        <dt>kind</dt>
        <dd>
          <span className="kind">{run.kind}</span>
        </dd>
        <dt>status</dt>
        <dd>
          <StatusBadge status={run.status} />
        </dd>
        <dt>git</dt>
        <dd>
          <code>{gitLabel(run.git)}</code> <DirtyBadge dirty={run.git.dirty} />
        </dd>
        <dt>note</dt>
        <dd>{run.note ?? <span className="muted">—</span>}</dd>
      </dl>
      <Tabs
        label="Run sections"
        active={tab}
        onChange={onTab}
        tabs={[
          { id: 'params', label: 'Params', count: Object.keys(run.params).length },
          { id: 'metrics', label: 'Metrics', count: Object.keys(run.metrics).length },
          { id: 'artifacts', label: 'Artifacts', count: run.artifacts.length },
          { id: 'manifest', label: 'Manifest' },
        ]}
      />
      <div role="tabpanel" className="tab-panel">
        {tab === 'params' && <ParamsTab params={run.params} />}
        {tab === 'metrics' && <MetricsTab runId={run.run_id} latest={run.metrics} />}
        {tab === 'artifacts' && <ArtifactsTab runId={run.run_id} artifacts={run.artifacts} />}
        {tab === 'manifest' && <ManifestTab run={run} />}
      </div>
    </div>
  );
}
