import { API_ORIGIN, ApiError, errorMessage } from '../api/client';
import { useAppData } from '../state/app-data';
import { useRefresh } from '../state/refresh';

/** Says, above everything, when the API cannot be reached or fails, and why. */
export function ApiBanner() {
  const { version, meta } = useAppData();
  const refresh = useRefresh();
  const error = version.error ?? meta.error;
  if (error === undefined) return null;
  const unreachable = error instanceof ApiError && error.failure === 'unreachable';
  const message = unreachable ? errorMessage(error) : `API error at ${API_ORIGIN}: ${errorMessage(error)}`;
  return (
    <div className="banner banner-danger" role="alert" data-testid="api-banner">
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <span className="banner-message">{message}</span>
      <button type="button" className="btn btn-sm" onClick={refresh} disabled={version.loading}>
        {version.loading ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
