import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError } from '../api/client';
import type { PromotionJson } from '../api/types';
import { useAppData } from '../state/app-data';
import { useRefresh } from '../state/refresh';
import { savedToken, saveToken } from '../state/token';
import { Modal } from './Modal';
import { ErrorNotice } from './States';
import { useToast } from './Toasts';

interface RegistryActionProps {
  /** The button that opens the dialog. */
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  perform: (token: string) => Promise<PromotionJson>;
  tone?: 'primary' | 'danger';
  size?: 'sm';
  disabled?: boolean;
}

/**
 * A registry change (promote, rollback) behind a confirmation dialog. When the server requires a token
 * the dialog asks for it (kept in sessionStorage for this tab); the API's own error is shown on failure.
 */
export function RegistryAction(props: RegistryActionProps) {
  const [open, setOpen] = useState(false);
  const classes = `btn ${props.tone === 'danger' ? 'btn-danger-outline' : 'btn-primary'}${props.size === 'sm' ? ' btn-sm' : ''}`;
  return (
    <>
      <button type="button" className={classes} onClick={() => setOpen(true)} disabled={props.disabled}>
        {props.label}
      </button>
      {open && <RegistryDialog {...props} onClose={() => setOpen(false)} />}
    </>
  );
}

function RegistryDialog({
  title,
  description,
  confirmLabel,
  perform,
  tone,
  onClose,
}: RegistryActionProps & { onClose: () => void }) {
  const { meta } = useAppData();
  const refresh = useRefresh();
  const toast = useToast();
  const tokenId = useId();
  const [token, setToken] = useState(savedToken);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rejected = error instanceof ApiError && error.status === 401;
  const needsToken = meta.data?.settings.token_required === true || rejected;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await perform(needsToken ? token.trim() : '');
      if (needsToken) saveToken(token.trim());
      toast(
        result.promoted
          ? `${result.name} v${result.version.version} is now current: ${result.reason}`
          : `Not changed: ${result.reason}`,
        result.promoted ? 'success' : 'info',
      );
      refresh();
      onClose();
    } catch (err) {
      // A rejected token is not kept for the next attempt.
      if (err instanceof ApiError && err.status === 401) saveToken('');
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <div className="dialog-description">{description}</div>
        {needsToken && (
          <div className="field">
            <label htmlFor={tokenId}>API token</label>
            <input
              id={tokenId}
              className="input"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder="BALANCEOPS_API_TOKEN"
              required
            />
            <p className="field-help">Sent as a bearer token; kept in this browser tab only.</p>
          </div>
        )}
        {error !== null && <ErrorNotice error={error} title="The API refused the change" />}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn ${tone === 'danger' ? 'btn-danger' : 'btn-primary'}`}
            disabled={busy}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
