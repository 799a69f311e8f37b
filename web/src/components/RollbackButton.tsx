import { rollback } from '../api/registry';
import { RegistryAction } from './RegistryAction';

/** Rolls `name` back to the model that was current before `version` (asks first, and for the token). */
export function RollbackButton({ name, version, size }: { name: string; version: number; size?: 'sm' }) {
  return (
    <RegistryAction
      label="Roll back"
      title="Roll back the current model"
      description={
        <>
          Make the model that was current before{' '}
          <strong>
            {name} v{version}
          </strong>{' '}
          current again. The served model changes on the next request.
        </>
      }
      confirmLabel="Roll back"
      tone="danger"
      size={size}
      perform={rollback(name)}
    />
  );
}
