import { CopyButton } from './CopyButton';

/** JSON, pretty-printed, with a copy button. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return (
    <div className="json-block">
      <div className="json-toolbar">
        <span className="muted small">{label}</span>
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre className="json">{text}</pre>
    </div>
  );
}
