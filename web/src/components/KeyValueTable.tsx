import { formatValue } from '../lib/format';

/** Two columns, key and value; values that are not strings are shown as JSON. */
export function KeyValueTable({ entries, label }: { entries: [string, unknown][]; label: string }) {
  return (
    <div className="table-wrap">
      <table className="table kv-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([key, value]) => (
            <tr key={key}>
              <th scope="row" className="mono">
                {key}
              </th>
              <td className="mono">{formatValue(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
