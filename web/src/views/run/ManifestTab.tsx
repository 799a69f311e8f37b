import type { RunDetailJson } from '../../api/types';
import { JsonBlock } from '../../components/JsonBlock';
import { EmptyState } from '../../components/States';

/** Where the run's manifest.json is, what it says, and the pointer that leads to it. */
export function ManifestTab({ run }: { run: RunDetailJson }) {
  return (
    <div className="stack">
      {run.warnings.length > 0 && (
        <div className="banner banner-warning" role="note">
          <ul className="plain-list">
            {run.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="facts facts-wide">
        <dt>manifest</dt>
        <dd>
          <code>{run.manifest_path ?? '—'}</code>
        </dd>
        <dt>pointer</dt>
        <dd>
          <code>{run.manifest?.manifest_path ?? 'no _by_id pointer'}</code>
        </dd>
      </dl>
      {run.manifest_data === null ? (
        <EmptyState title="No manifest.json found for this run" />
      ) : (
        <JsonBlock value={run.manifest_data} label="manifest.json" />
      )}
      {run.manifest !== null && <JsonBlock value={run.manifest} label={`_by_id/${run.run_id}.json`} />}
    </div>
  );
}
