import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { activitySentence, type TBackupRef } from './activity-sentence';
import { actionLabel, rawDetails } from './format';
import { LocalTime } from './local-time';
import { StatusBadge } from './status-badge';

/** A link to a backup's row: on this page, or on the page listing deleted backups too. */
function BackupLink({ backup, deletedShown }: { backup: TBackupRef; deletedShown: boolean }) {
  if (backup.filename === backup.id) return <code>{backup.id}</code>;
  const href = backup.listed || deletedShown ? `#backup-${backup.id}` : `?deleted=1#backup-${backup.id}`;
  return <a href={href}>{backup.filename}</a>;
}

/**
 * Audit rows, newest first: when, what, how it ended, who (by name), and a
 * sentence in human units naming the backups concerned, with the raw values
 * in a disclosure for whoever investigates.
 */
export function ActivityTable({
  entries,
  backups,
  deletedShown,
}: {
  entries: TAuditLogEntry[];
  backups: ReadonlyMap<string, TBackupRef>;
  deletedShown: boolean;
}) {
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
          {entries.map((entry) => {
            const sentence = activitySentence(entry, backups);
            return (
              <tr key={entry.id}>
                <td>
                  <LocalTime iso={entry.createdAt} />
                </td>
                <td className="nowrap">
                  {actionLabel(entry.action)}
                  {entry.count > 1 ? (
                    <span className="muted" title={`${entry.count} times in this minute`}>{` ×${entry.count}`}</span>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={entry.outcome} />
                </td>
                <td>{entry.actorName ?? entry.actorEmail ?? <span className="muted">{entry.actorKind}</span>}</td>
                <td className="activity-details">
                  <p className="activity-sentence">{sentence.text}</p>
                  {sentence.backups.length ? (
                    <p className="activity-backups">
                      {sentence.backups.map((backup, index) => (
                        <span key={backup.id}>
                          {index === 0 ? (entry.targetId ? 'Backup ' : 'Safety backup ') : ' · safety backup '}
                          <BackupLink backup={backup} deletedShown={deletedShown} />
                        </span>
                      ))}
                    </p>
                  ) : null}
                  {entry.details ? (
                    <details>
                      <summary>Raw values</summary>
                      <pre>{rawDetails({ targetId: entry.targetId, ...(entry.details as object), ipAddress: entry.ipAddress })}</pre>
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
