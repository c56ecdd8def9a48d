import { ALERT_ADVICE } from '@/lib/backup/alerts/alert-text';
import type { TIncidentView } from '@/lib/utils/backup-service';
import { LocalTime } from './local-time';

/** The plain title of an incident's event, as the alert emails say it. */
function titleOf(event: string): string {
  return event in ALERT_ADVICE ? ALERT_ADVICE[event as keyof typeof ALERT_ADVICE].title : 'A backup problem';
}

function todoOf(event: string): string | null {
  return event in ALERT_ADVICE ? ALERT_ADVICE[event as keyof typeof ALERT_ADVICE].todo : null;
}

/**
 * The open incidents (a failed scheduled backup, backups overdue, a damaged
 * copy, a failed upload…) at the top of the dashboard, with what to do,
 * until they are resolved: a `recovered` event closes each, so nothing here
 * needs dismissing. A server component: nothing to click.
 */
export function OpenProblems({ incidents }: { incidents: TIncidentView[] }) {
  if (incidents.length === 0) return null;
  return (
    <section className="open-problems" role="alert" aria-labelledby="open-problems-title">
      <h2 id="open-problems-title" className="section-title">
        {incidents.length === 1 ? 'A backup problem needs attention' : `${incidents.length} backup problems need attention`}
      </h2>
      <ul>
        {incidents.map((incident) => (
          <li key={incident.key} className={`open-problem open-problem-${incident.severity}`}>
            <p>
              <strong>{titleOf(incident.event)}</strong> since <LocalTime iso={incident.openedAt} />
              {incident.count > 1 ? ` (seen ${incident.count} times, last ` : null}
              {incident.count > 1 ? <LocalTime iso={incident.lastSeenAt} /> : null}
              {incident.count > 1 ? ')' : null}. {incident.message}
            </p>
            {todoOf(incident.event) ? <p className="open-problem-todo">{todoOf(incident.event)}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
