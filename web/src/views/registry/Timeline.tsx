import type { RegistryEventJson } from '../../api/types';
import { Link } from '../../components/Link';
import { Time } from '../../components/Time';
import { shortId } from '../../lib/format';
import { runRoute } from '../../state/router';

const ACTION_LABEL: Record<RegistryEventJson['action'], string> = {
  promote: 'Promoted',
  rollback: 'Rolled back',
  decline: 'Declined',
};

function versions(event: RegistryEventJson): string {
  const from = event.from_version === null ? 'none' : `v${event.from_version}`;
  const to = event.to_version === null ? 'none' : `v${event.to_version}`;
  return event.action === 'decline' ? `candidate ${to} (current ${from})` : `${from} → ${to}`;
}

/** Every registry decision, newest first: what changed, why, who did it and when. */
export function Timeline({ events }: { events: RegistryEventJson[] }) {
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        <li key={event.id} className={`timeline-item timeline-${event.action}`} data-action={event.action}>
          <span className="timeline-dot" aria-hidden="true" />
          <div className="timeline-content">
            <div className="timeline-head">
              <strong className="timeline-action">{ACTION_LABEL[event.action]}</strong>
              <span className="timeline-versions mono">{versions(event)}</span>
              {event.run_id !== null && (
                <span className="small">
                  run <Link to={runRoute(event.run_id)}>{shortId(event.run_id)}</Link>
                </span>
              )}
              <span className="timeline-when muted small">
                <Time iso={event.created_at} />
              </span>
            </div>
            <p className="timeline-reason">{event.reason}</p>
            <p className="timeline-actor muted small">by {event.actor}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
