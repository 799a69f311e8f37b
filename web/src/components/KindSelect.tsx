/** The run kind filter: every kind the database has seen, or all of them. */
export function KindSelect({
  kinds,
  value,
  onChange,
}: {
  kinds: readonly string[];
  value: string;
  onChange: (kind: string) => void;
}) {
  return (
    <label className="inline-field">
      <span>Kind</span>
      <select
        className="input"
        aria-label="Kind filter"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">All kinds</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  );
}
