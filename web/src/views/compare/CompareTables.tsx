import type { ReactNode } from 'react';
import { DirtyBadge, StatusBadge } from '../../components/Badge';
import { PALETTE } from '../../components/LineChart';
import { Time } from '../../components/Time';
import { flatten, formatMetric, formatValue, gitLabel } from '../../lib/format';
import { type ComparedRun, differs } from './loadCompared';

interface CompareTablesProps {
  runs: ComparedRun[];
  onlyDiff: boolean;
  onOnlyDiff: (on: boolean) => void;
}

/** The runs' facts, params and latest metrics in columns, rows whose values differ marked. */
export function CompareTables({ runs, onlyDiff, onOnlyDiff }: CompareTablesProps) {
  const params = runs.map((c) => new Map(flatten(c.run.params)));
  const paramKeys = [...new Set(params.flatMap((p) => [...p.keys()]))].sort();
  const metricKeys = [...new Set(runs.flatMap((c) => Object.keys(c.run.metrics)))].sort();
  const paramRows = paramKeys.map((key) => ({ key, values: params.map((p) => p.get(key)) }));
  const metricRows = metricKeys.map((key) => ({ key, values: runs.map((c) => c.run.metrics[key]) }));
  const differing = paramRows.filter((r) => differs(r.values)).length;
  const runIds = runs.map((c) => c.run.run_id);

  return (
    <>
      <Section title="Runs">
        <Grid runs={runs}>
          <FactRow label="created" runs={runs} render={(c) => <Time iso={c.run.created_at} />} />
          <FactRow label="kind" runs={runs} render={(c) => c.run.kind} />
          <FactRow label="status" runs={runs} render={(c) => <StatusBadge status={c.run.status} />} />
          <FactRow
            label="git"
            runs={runs}
            render={(c) => (
              <>
                <code>{gitLabel(c.run.git)}</code> <DirtyBadge dirty={c.run.git.dirty} />
              </>
            )}
          />
          <FactRow label="note" runs={runs} render={(c) => c.run.note ?? '—'} />
        </Grid>
      </Section>

      <Section
        title="Params"
        aside={
          <>
            <span className="muted small" data-testid="params-diff-count">
              {differing} of {paramKeys.length} differ
            </span>
            <label className="check">
              <input type="checkbox" checked={onlyDiff} onChange={(e) => onOnlyDiff(e.target.checked)} />
              Only differences
            </label>
          </>
        }
      >
        {paramKeys.length === 0 ? (
          <p className="muted">None of these runs logged params.</p>
        ) : (
          <Grid runs={runs} label="Params comparison">
            {paramRows
              .filter((row) => !onlyDiff || differs(row.values))
              .map((row) => (
                <DiffRow
                  key={row.key}
                  label={row.key}
                  runIds={runIds}
                  values={row.values.map((v) => formatValue(v))}
                  differ={differs(row.values)}
                />
              ))}
          </Grid>
        )}
      </Section>

      <Section title="Metrics (latest values)">
        {metricKeys.length === 0 ? (
          <p className="muted">None of these runs logged metrics.</p>
        ) : (
          <Grid runs={runs} label="Metrics comparison">
            {metricRows.map((row) => (
              <DiffRow
                key={row.key}
                label={row.key}
                runIds={runIds}
                values={row.values.map((v) => formatMetric(v))}
                differ={differs(row.values)}
                numeric
              />
            ))}
          </Grid>
        )}
      </Section>
    </>
  );
}

function Section({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="compare-section">
      <header className="section-header">
        <h3>{title}</h3>
        {aside !== undefined && <div className="section-aside">{aside}</div>}
      </header>
      {children}
    </section>
  );
}

function Grid({ runs, children, label }: { runs: ComparedRun[]; children: ReactNode; label?: string }) {
  return (
    <div className="table-wrap">
      <table className="table compare-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col" className="col-key">
              <span className="visually-hidden">Field</span>
            </th>
            {runs.map((c, i) => (
              <th key={c.run.run_id} scope="col">
                <span
                  className="swatch"
                  style={{ background: PALETTE[i % PALETTE.length] }}
                  aria-hidden="true"
                />
                {c.run.run_dir_name ?? c.run.run_id.slice(0, 8)}
                {i === 0 && <span className="baseline-tag">baseline</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function FactRow({
  label,
  runs,
  render,
}: {
  label: string;
  runs: ComparedRun[];
  render: (c: ComparedRun) => ReactNode;
}) {
  return (
    <tr>
      <th scope="row" className="col-key">
        {label}
      </th>
      {runs.map((c) => (
        <td key={c.run.run_id}>{render(c)}</td>
      ))}
    </tr>
  );
}

function DiffRow({
  label,
  runIds,
  values,
  differ,
  numeric,
}: {
  label: string;
  runIds: string[];
  values: string[];
  differ: boolean;
  numeric?: boolean;
}) {
  return (
    <tr className={differ ? 'differs' : undefined} data-differs={differ} data-key={label}>
      <th scope="row" className="col-key mono">
        {differ && <span className="diff-mark" title="values differ" />}
        {label}
      </th>
      {values.map((value, i) => {
        // The first run is the baseline: a cell is marked where it differs from it.
        const changed = i > 0 && value !== values[0];
        return (
          <td
            key={runIds[i]}
            className={`${numeric ? 'num ' : ''}mono${changed ? ' changed' : ''}`}
            data-changed={changed}
          >
            {value}
          </td>
        );
      })}
    </tr>
  );
}
