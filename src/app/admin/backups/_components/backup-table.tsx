import { EmptyState } from '@/app/_components/empty-state';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { BackupRow } from './backup-row';

/**
 * The backups, newest first (deleted ones too when asked), with their actions; a hint when there is none.
 * A scheduled backup names its schedule when the schedule is still there (`scheduleNames`, by id).
 */
export function BackupTable({
  backups,
  showDeleted = false,
  scheduleNames = new Map(),
}: {
  backups: TBackupSummary[];
  showDeleted?: boolean;
  scheduleNames?: ReadonlyMap<string, string>;
}) {
  if (!backups.length) {
    return (
      <EmptyState title="No backups yet">
        <p>Create the first one with the button above. Scheduled backups will also appear here.</p>
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table backup-table">
        <caption>{showDeleted ? 'Backups on this server, deleted ones included' : 'Backups on this server'}</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Type</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col" className="numeric">
              Rows
            </th>
            <th scope="col">Location</th>
            <th scope="col">Status</th>
            <th scope="col">Key</th>
            <th scope="col">Last verified</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {backups.map((backup) => (
            <BackupRow
              key={backup.id}
              backup={backup}
              scheduleName={backup.scheduleId ? scheduleNames.get(backup.scheduleId) : undefined}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
