import { useAppData } from '../state/app-data';
import { useRefresh } from '../state/refresh';
import { routeTo, type View } from '../state/router';
import { useTimeZone } from '../state/time';
import { Link } from './Link';

const NAV: { view: View; label: string; to: string }[] = [
  { view: 'runs', label: 'Runs', to: '' },
  { view: 'trends', label: 'Trends', to: 'trends' },
  { view: 'run', label: 'Run detail', to: 'run' },
  { view: 'compare', label: 'Compare', to: 'compare' },
  { view: 'registry', label: 'Registry', to: 'registry' },
];

/** Brand, the views, the time zone switch and the one refresh button. */
export function TopBar({ view }: { view: View }) {
  const refresh = useRefresh();
  const { utc, setUtc, zoneLabel } = useTimeZone();
  const { version, meta, model } = useAppData();
  const busy = version.loading || meta.loading || model.loading;
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to={routeTo('')} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          BalanceOps
        </Link>
        <nav className="nav" aria-label="Views">
          {NAV.map((item) => (
            <Link key={item.view} to={item.to} className={`nav-link${item.view === view ? ' active' : ''}`}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-tools">
          <fieldset className="segmented" aria-label="Time zone">
            <button
              type="button"
              aria-pressed={!utc}
              onClick={() => setUtc(false)}
              title={`times in ${zoneLabel}`}
            >
              Local
            </button>
            <button type="button" aria-pressed={utc} onClick={() => setUtc(true)}>
              UTC
            </button>
          </fieldset>
          <button type="button" className="btn" onClick={refresh} aria-label="Refresh">
            <span className={`refresh-icon${busy ? ' spinning' : ''}`} aria-hidden="true">
              ↻
            </span>
            Refresh
          </button>
        </div>
      </div>
    </header>
  );
}
