import type { CurrentModelJson } from '../api/types';
import { formatMetric, gitLabel, shortId } from '../lib/format';
import { useAppData } from '../state/app-data';
import { runRoute } from '../state/router';
import { Badge } from './Badge';
import { Link } from './Link';
import { RollbackButton } from './RollbackButton';
import { Time } from './Time';

const isModel = (body: unknown): body is CurrentModelJson =>
  typeof body === 'object' && body !== null && 'version' in body;

/** The header's three facts: what is served, which build serves it, where things are stored. */
export function StatusStrip() {
  return (
    <div className="strip">
      <CurrentModelPanel />
      <BuildPanel />
      <StoragePanel />
    </div>
  );
}

function CurrentModelPanel() {
  const { model } = useAppData();
  const current = isModel(model.data) ? model.data : null;
  return (
    <section className="strip-panel" aria-label="Current model" data-testid="current-model">
      <h2 className="strip-title">Current model</h2>
      {model.data === undefined ? (
        <p className="muted">{model.error ? 'unavailable' : 'loading…'}</p>
      ) : current === null ? (
        <p className="strip-empty">
          No model promoted yet. Train one: <code>npx balanceops train-dummy</code>
        </p>
      ) : (
        <>
          <div className="strip-headline">
            <span className="strip-name">{current.name}</span>
            <Badge tone="accent">v{current.version}</Badge>
            <span className="muted small">{current.model_type}</span>
            <span className="strip-headline-end">
              <RollbackButton name={current.name} version={current.version} size="sm" />
            </span>
          </div>
          <dl className="facts">
            <dt>run</dt>
            <dd>
              {current.run_id === null ? (
                '—'
              ) : (
                <Link to={runRoute(current.run_id)}>{shortId(current.run_id)}</Link>
              )}
            </dd>
            <dt>promoted</dt>
            <dd>
              <Time iso={current.created_at} />
            </dd>
          </dl>
          <div className="metric-chips">
            {Object.entries(current.metrics)
              .sort(([a], [b]) => a.localeCompare(b))
              .slice(0, 6)
              .map(([key, value]) => (
                <span key={key} className="metric-chip">
                  <span className="metric-chip-key">{key}</span> {formatMetric(value)}
                </span>
              ))}
          </div>
        </>
      )}
    </section>
  );
}

function BuildPanel() {
  const { version } = useAppData();
  const v = version.data;
  return (
    <section className="strip-panel" aria-label="API build" data-testid="api-build">
      <h2 className="strip-title">API</h2>
      {v === undefined ? (
        <p className="muted">{version.error ? 'unreachable' : 'loading…'}</p>
      ) : (
        <>
          <div className="strip-headline">
            <span className="strip-name">
              {v.package.name} {v.package.version}
            </span>
            {version.error === undefined ? (
              <Badge tone="success">online</Badge>
            ) : (
              <Badge tone="danger">offline</Badge>
            )}
          </div>
          <dl className="facts">
            <dt>git</dt>
            <dd>
              {v.git.commit === null ? (
                <span className="muted">not a git checkout</span>
              ) : (
                <code>{gitLabel(v.git)}</code>
              )}
              {v.git.dirty === true && (
                <>
                  {' '}
                  <Badge tone="warning">dirty</Badge>
                </>
              )}
            </dd>
            <dt>runtime</dt>
            <dd>
              {v.runtime.name} {v.runtime.version} · {v.runtime.platform} {v.runtime.arch}
            </dd>
            <dt>serving</dt>
            <dd>
              {v.model === null ? (
                <span className="muted">{v.model_error ?? 'no model'}</span>
              ) : (
                <>
                  {v.model.name} v{v.model.version} · {v.expected_n_features ?? '?'} features
                </>
              )}
            </dd>
          </dl>
        </>
      )}
    </section>
  );
}

function StoragePanel() {
  const { meta } = useAppData();
  const s = meta.data?.settings;
  return (
    <section className="strip-panel" aria-label="Settings" data-testid="settings">
      <h2 className="strip-title">Storage</h2>
      {s === undefined ? (
        <p className="muted">{meta.error ? 'unavailable' : 'loading…'}</p>
      ) : (
        <dl className="facts facts-paths">
          <dt>database</dt>
          <dd>
            <code title={s.db}>{s.db}</code>
          </dd>
          <dt>artifacts</dt>
          <dd>
            <code title={s.artifacts_dir}>{s.artifacts_dir}</code>
          </dd>
          <dt>current model</dt>
          <dd>
            <code title={s.current_model_path}>{s.current_model_path}</code>
          </dd>
          <dt>registry writes</dt>
          <dd>{s.token_required ? 'bearer token required' : 'local clients only (no token set)'}</dd>
        </dl>
      )}
    </section>
  );
}
