import { withQuery } from '../../api/client';
import type { ArtifactJson } from '../../api/types';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/States';
import { Time } from '../../components/Time';
import { formatBytes } from '../../lib/format';
import { useAppData } from '../../state/app-data';

const FALLBACK_MAX_DOWNLOAD = 50 * 1024 * 1024;

/** The files a run recorded: whether they are still on disk, their size, and a download when allowed. */
export function ArtifactsTab({ runId, artifacts }: { runId: string; artifacts: ArtifactJson[] }) {
  const { meta } = useAppData();
  const maxBytes = meta.data?.settings.max_download_bytes ?? FALLBACK_MAX_DOWNLOAD;
  if (artifacts.length === 0) return <EmptyState title="This run recorded no artifacts" />;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Artifacts">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Path</th>
            <th scope="col">On disk</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">SHA-256</th>
            <th scope="col">Recorded</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {artifacts.map((artifact) => (
            <tr key={`${artifact.kind}:${artifact.path}`}>
              <td>
                <span className="kind">{artifact.kind}</span>
              </td>
              <td className="mono path" title={artifact.path}>
                {artifact.path}
              </td>
              <td>
                {artifact.exists ? (
                  <Badge tone="success">present</Badge>
                ) : (
                  <Badge tone="danger">missing</Badge>
                )}
              </td>
              <td className="num">{formatBytes(artifact.size)}</td>
              <td className="mono muted" title={artifact.sha256 ?? undefined}>
                {artifact.sha256 ? `${artifact.sha256.slice(0, 12)}…` : '—'}
              </td>
              <td className="nowrap">
                <Time iso={artifact.created_at} />
              </td>
              <td className="nowrap">
                <DownloadCell runId={runId} artifact={artifact} maxBytes={maxBytes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DownloadCell({
  runId,
  artifact,
  maxBytes,
}: {
  runId: string;
  artifact: ArtifactJson;
  maxBytes: number;
}) {
  if (!artifact.exists) return <span className="muted small">not on disk</span>;
  if (artifact.size !== null && artifact.size > maxBytes)
    return <span className="muted small">over {formatBytes(maxBytes)}: fetch it from disk</span>;
  const href = withQuery(`/runs/${encodeURIComponent(runId)}/artifacts/download`, { path: artifact.path });
  const name = artifact.path.split('/').pop() ?? 'artifact';
  return (
    <a className="btn btn-sm" href={href} download={name} aria-label={`Download ${artifact.path}`}>
      Download
    </a>
  );
}
