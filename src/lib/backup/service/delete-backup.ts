import type { Backup } from '@/generated/prisma/client';
import { writeAudit, writeAuditBestEffort } from '@/lib/audit/audit-log';
import { BackupError } from '../errors/errors';
import { withBackupHold } from '../lock/backup-hold';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import { localStorageOf } from './backup-storages';
import type { TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';
import { storageMessage } from './offsite';

export interface TDeleteResult {
  id: string;
  /** Whether a local file existed (and was removed). */
  fileExisted: boolean;
  /** Whether an off-site copy existed (and was removed); null when there is no off-site storage. */
  cloudCopyExisted: boolean | null;
  /**
   * Key of an off-site copy that could not be removed because off-site
   * storage is not configured here; the row keeps it, so deleting again
   * once the storage is configured removes the copy. Absent otherwise.
   */
  cloudCopyLeft?: string;
}

/**
 * Removes a backup's local file and off-site copy and marks its row DELETED
 * (the row stays, for the history). The audit row is written first: no
 * audit, no delete. If the off-site copy cannot be removed (the storage
 * fails), the row is left as it was, so the delete can be retried; if
 * off-site storage is not configured here, the local file goes, the row
 * keeps the copy's key and the result says so (`cloudCopyLeft`).
 */
export async function deleteBackupLocked(id: string, deps: TBackupDeps, lock: TOperationLock): Promise<TDeleteResult> {
  const row = await findBackupRow(deps, id);
  if (row.status === 'RUNNING') throw new BackupError('BUSY', 'This backup is still being written; it can be deleted when it has finished');
  // Held from before the audit row, so a delete refused because a drill reads the backup leaves no "started" without an outcome.
  const result = await withBackupHold(deps.db.database, id, 'exclusive', async () => {
    await writeAudit(deps.db.prisma, deps.audit, { action: 'backup.delete.started', outcome: 'SUCCESS', targetId: id });
    return removeHeldBackupCopies(row, deps, lock);
  });
  const { fileExisted, cloudCopyExisted, cloudCopyLeft } = result;
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    {
      action: 'backup.deleted',
      outcome: 'SUCCESS',
      targetId: id,
      details: { fileExisted, cloudCopyExisted, ...(cloudCopyLeft ? { cloudCopyLeft } : {}) },
    },
    deps.log ?? backupLog,
  );
  return result;
}

/**
 * Removes a backup's copies and marks its row DELETED, without auditing (the
 * caller audits: one row per delete, or one per prune run). The off-site copy
 * goes first: if it cannot be removed, nothing is changed. Refused (BUSY)
 * while a restore drill reads the backup: it holds the backup exclusively.
 */
export async function removeBackupCopies(row: Backup, deps: TBackupDeps, lock: TOperationLock): Promise<TDeleteResult> {
  return withBackupHold(deps.db.database, row.id, 'exclusive', () => removeHeldBackupCopies(row, deps, lock));
}

async function removeHeldBackupCopies(row: Backup, deps: TBackupDeps, lock: TOperationLock): Promise<TDeleteResult> {
  const { id } = row;
  await lock.assertHeld("deleting the backup's files");
  let cloudCopyExisted: boolean | null = null;
  if (deps.offsite) {
    try {
      cloudCopyExisted = await deps.offsite.storage.delete(row.objectKey ?? row.filename);
    } catch (error) {
      throw new BackupError('STORAGE', `Could not delete the off-site copy (nothing was deleted): ${storageMessage(error)}`, {
        cause: error,
      });
    }
  }
  // Without off-site storage here, a recorded copy cannot be removed: remember where it is instead of forgetting it.
  const cloudCopyLeft = !deps.offsite && row.objectKey ? row.objectKey : null;
  // BACKUP_DIR even with BACKUP_STORAGE=s3: a file kept there from before (another mode) is this backup's too.
  let fileExisted: boolean;
  try {
    fileExisted = await localStorageOf(deps).delete(row.filename);
  } catch (error) {
    throw new BackupError('STORAGE', `Could not delete the local file: ${storageMessage(error)}`, { cause: error });
  }
  await deps.db.prisma.backup.update({
    where: { id },
    data: { status: 'DELETED', ...(cloudCopyLeft ? { location: 'CLOUD' } : { location: 'LOCAL', objectKey: null }) },
  });
  if (cloudCopyLeft) {
    deps.log?.(`Backup ${id} deleted here; its off-site copy ${cloudCopyLeft} was left because off-site storage is not configured`);
  }
  return { id, fileExisted, cloudCopyExisted, ...(cloudCopyLeft ? { cloudCopyLeft } : {}) };
}
