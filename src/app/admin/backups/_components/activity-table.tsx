import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { actionLabel, detailsText } from './format';
import { LocalTime } from './local-time';
import { StatusBadge } from './status-badge';

/** Audit rows, newest first: when, what, how it ended, who, on which backup, and the details in one line. */
export function ActivityTable({ entries }: { entries: TAuditLogEntry[] }) {
  if (!entries.length) return <p className="muted">No activity matches these filters.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table activity-table">
        <caption className="visually-hidden">Recent backup activity</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">By</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>
                <LocalTime iso={entry.createdAt} />
              </td>
              <td className="nowrap">
                {actionLabel(entry.action)}
                {entry.count > 1 ? <span className="muted" title={`${entry.count} times in this minute`}>{` ×${entry.count}`}</span> : null}
              </td>
              <td>
                <StatusBadge status={entry.outcome} />
              </td>
              <td>{entry.actorEmail ?? <span className="muted">{entry.actorKind}</span>}</td>
              <td className="activity-details">{detailsText(entry.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
