import { useEffect, useId, useRef, useState } from 'react';

interface MultiSelectProps {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
  /** What "Reset" goes back to. */
  defaults?: readonly string[];
  max?: number;
}

/** A button that opens a filterable checkbox list (metrics to plot, metric columns to show). */
export function MultiSelect({ label, options, selected, onChange, defaults, max }: MultiSelectProps) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const toggle = (option: string) => {
    if (selected.includes(option)) onChange(selected.filter((s) => s !== option));
    // Options keep their listed order, so the same choice always gives the same columns and series.
    else if (max === undefined || selected.length < max)
      onChange(options.filter((o) => o === option || selected.includes(o)));
  };
  const shown = options.filter((o) => o.toLowerCase().includes(filter.trim().toLowerCase()));
  const summary =
    selected.length === 0
      ? 'none'
      : selected.length <= 2
        ? selected.join(', ')
        : `${selected.length} selected`;

  return (
    <div className="multiselect" ref={root}>
      <button
        type="button"
        className="btn select-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="select-label">{label}</span>
        <span className="select-value">{summary}</span>
        <span className="chevron" aria-hidden="true" />
      </button>
      {open && (
        <fieldset className="popover" id={id}>
          <legend className="visually-hidden">{label}</legend>
          {options.length > 8 && (
            <input
              className="input input-sm"
              type="search"
              placeholder="Filter…"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              aria-label={`Filter ${label.toLowerCase()}`}
            />
          )}
          <div className="popover-list">
            {shown.map((option) => (
              <label key={option} className="check">
                <input type="checkbox" checked={selected.includes(option)} onChange={() => toggle(option)} />
                <span>{option}</span>
              </label>
            ))}
            {shown.length === 0 && <p className="muted small">No match.</p>}
          </div>
          <div className="popover-footer">
            {max !== undefined && <span className="muted small">up to {max}</span>}
            {defaults !== undefined && (
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange([...defaults])}>
                Reset
              </button>
            )}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange([])}>
              Clear
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
