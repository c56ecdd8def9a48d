import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError } from '../errors/errors';
import type { TBackupDeps } from '../service/deps';
import { findBackupRow } from '../service/find-backup';
import { type TBackupSummary, toSummary } from '../service/summary';

/**
 * Pins or unpins a backup: a pinned backup is kept by every retention policy
 * until it is unpinned (it can still be deleted by hand). Needs no operation
 * lock, so a backup running for minutes does not hold it up; a prune re-reads
 * each row just before removing it.
 */
export async function setPinned(id: string, pinned: boolean, deps: TBackupDeps): Promise<TBackupSummary> {
  const row = await findBackupRow(deps, id);
  if (row.status === 'DELETED' || row.status === 'FAILED') {
    throw new BackupError('INVALID_INPUT', `Backup ${id} is ${row.status.toLowerCase()}: only a running or completed backup can be pinned`);
  }
  const updated = await deps.db.prisma.backup.update({ where: { id }, data: { pinned } });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: pinned ? 'backup.pinned' : 'backup.unpinned',
    outcome: 'SUCCESS',
    targetId: id,
  });
  return toSummary(updated);
}
