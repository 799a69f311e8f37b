import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';

/** A request in flight. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** A failed request: its message (which names the cause), the API's hint, and a retry. */
export function ErrorNotice({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const hint = error instanceof ApiError ? error.hint : null;
  return (
    <div className="state state-error" role="alert">
      <div>
        {title !== undefined && <strong className="state-title">{title}</strong>}
        <p className="state-message">{errorMessage(error)}</p>
        {hint !== null && <p className="state-hint">{hint}</p>}
      </div>
      {onRetry !== undefined && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Nothing to show yet, and the command that would change that. */
export function EmptyState({
  title,
  children,
  commands = [],
}: {
  title: string;
  children?: ReactNode;
  commands?: string[];
}) {
  return (
    <div className="state state-empty" data-testid="empty-state">
      <strong className="state-title">{title}</strong>
      {children !== undefined && <p className="state-message">{children}</p>}
      {commands.length > 0 && (
        <div className="commands">
          {commands.map((command) => (
            <code key={command} className="command">
              {command}
            </code>
          ))}
        </div>
      )}
    </div>
  );
}
