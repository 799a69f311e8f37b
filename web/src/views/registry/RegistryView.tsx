import { withQuery } from '../../api/client';
import { promoteRun } from '../../api/registry';
import type { HistoryJson, ModelsJson } from '../../api/types';
import { useApi } from '../../api/useResource';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { Link } from '../../components/Link';
import { RegistryAction } from '../../components/RegistryAction';
import { RollbackButton } from '../../components/RollbackButton';
import { EmptyState, ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { TRAIN_COMMANDS } from '../../lib/commands';
import { metricsPreview, shortId } from '../../lib/format';
import { useAppData } from '../../state/app-data';
import { runRoute, useQueryState } from '../../state/router';
import { Timeline } from './Timeline';

/** The model registry: versions of a model, which one is current, and the history of every decision. */
export function RegistryView() {
  const [query, update] = useQueryState();
  const { meta } = useAppData();
  const names = meta.data?.model_names ?? [];
  const name = query.get('name') ?? undefined;
  const models = useApi<ModelsJson>(withQuery('/models', { name }));
  const history = useApi<HistoryJson>(withQuery('/models/history', { name, limit: 200 }));
  const modelName = models.data?.name ?? name ?? 'balance_model';

  return (
    <div className="view registry-grid">
      <Card
        title="Promotion history"
        subtitle={modelName}
        testId="history-card"
        actions={
          names.length > 1 ? (
            <select
              className="input"
              aria-label="Model name"
              value={modelName}
              onChange={(e) => update({ name: e.target.value })}
            >
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          ) : undefined
        }
      >
        {history.error !== undefined ? (
          <ErrorNotice error={history.error} onRetry={history.reload} />
        ) : history.data === undefined ? (
          <Loading label="Loading history…" />
        ) : history.data.events.length === 0 ? (
          <EmptyState title="No registry events yet" commands={TRAIN_COMMANDS}>
            Train a model; its promotion (or why it was declined) shows up here:
          </EmptyState>
        ) : (
          <Timeline events={history.data.events} />
        )}
      </Card>

      <Card
        title="Versions"
        subtitle={modelName}
        testId="versions-card"
        actions={
          models.data?.current ? (
            <RollbackButton name={modelName} version={models.data.current.version} />
          ) : undefined
        }
      >
        {models.error !== undefined ? (
          <ErrorNotice error={models.error} onRetry={models.reload} />
        ) : models.data === undefined ? (
          <Loading label="Loading versions…" />
        ) : models.data.versions.length === 0 ? (
          <EmptyState title="No model versions yet" commands={TRAIN_COMMANDS} />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Model versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Run</th>
                  <th scope="col">Type</th>
                  <th scope="col">Metrics</th>
                  <th scope="col">Registered</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {models.data.versions.map((v) => (
                  <tr key={v.version} className={v.current ? 'selected' : undefined}>
                    <td className="nowrap">
                      <strong>v{v.version}</strong> {v.current && <Badge tone="accent">current</Badge>}
                    </td>
                    <td>
                      {v.run_id === null ? '—' : <Link to={runRoute(v.run_id)}>{shortId(v.run_id)}</Link>}
                    </td>
                    <td>{v.model_type}</td>
                    <td className="col-preview narrow" title={metricsPreview(v.metrics, 100)}>
                      {metricsPreview(v.metrics, 3)}
                    </td>
                    <td className="nowrap">
                      <Time iso={v.created_at} />
                    </td>
                    <td>
                      {!v.current && v.run_id !== null && (
                        <RegistryAction
                          label="Promote"
                          size="sm"
                          title={`Promote ${modelName} v${v.version}`}
                          description={
                            <>
                              Make version <strong>v{v.version}</strong> (run <code>{shortId(v.run_id)}</code>
                              ) the current model.
                            </>
                          }
                          confirmLabel="Promote"
                          perform={promoteRun(v.run_id, name)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
