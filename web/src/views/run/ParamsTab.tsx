import { JsonBlock } from '../../components/JsonBlock';
import { KeyValueTable } from '../../components/KeyValueTable';
import { EmptyState } from '../../components/States';
import { flatten } from '../../lib/format';
import { useQueryState } from '../../state/router';

/** A run's params as a key/value table (nested keys dotted) or as the JSON it logged. */
export function ParamsTab({ params }: { params: Record<string, unknown> }) {
  const [query, update] = useQueryState();
  const asJson = query.get('as') === 'json';
  if (Object.keys(params).length === 0) return <EmptyState title="This run logged no params" />;
  return (
    <div className="stack">
      <fieldset className="segmented" aria-label="Params view">
        <button type="button" aria-pressed={!asJson} onClick={() => update({ as: null }, true)}>
          Table
        </button>
        <button type="button" aria-pressed={asJson} onClick={() => update({ as: 'json' }, true)}>
          JSON
        </button>
      </fieldset>
      {asJson ? (
        <JsonBlock value={params} label="params.json" />
      ) : (
        <KeyValueTable entries={flatten(params)} label="Params" />
      )}
    </div>
  );
}
