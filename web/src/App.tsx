import { ApiBanner } from './components/ApiBanner';
import { Link } from './components/Link';
import { EmptyState } from './components/States';
import { StatusStrip } from './components/StatusStrip';
import { TopBar } from './components/TopBar';
import { useLocation } from './state/router';
import { CompareView } from './views/compare/CompareView';
import { RegistryView } from './views/registry/RegistryView';
import { RunView } from './views/run/RunView';
import { RunsView } from './views/runs/RunsView';
import { TrendsView } from './views/trends/TrendsView';

/** The page: top bar, the API banner when it fails, the status strip, then the routed view. */
export function App() {
  const location = useLocation();
  return (
    <div className="app">
      <TopBar view={location.view} />
      <main className="main">
        <ApiBanner />
        <StatusStrip />
        {location.view === 'runs' && <RunsView />}
        {location.view === 'trends' && <TrendsView />}
        {location.view === 'run' && <RunView runId={location.runId} />}
        {location.view === 'compare' && <CompareView />}
        {location.view === 'registry' && <RegistryView />}
        {location.view === 'not-found' && (
          <EmptyState title="No such page">
            <Link to="">Back to the runs</Link>
          </EmptyState>
        )}
      </main>
    </div>
  );
}
