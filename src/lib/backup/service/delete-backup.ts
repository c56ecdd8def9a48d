import fs from 'node:fs';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError } from '../errors';
import type { TOperationLock } from '../lock/operation-lock';
import { backupPath, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';
import { storageMessage } from './offsite';

export interface TDeleteResult {
  id: string;
  /** Whether a local file existed (and was removed). */
  fileExisted: boolean;
  /** Whether an off-site copy existed (and was removed); null when there is no off-site storage. */
  cloudCopyExisted: boolean | null;
}

/**
 * Removes a backup's local file and off-site copy and marks its row DELETED
 * (the row stays, for the history). The audit row is written first: no
 * audit, no delete. If the off-site copy cannot be removed, the row is left
 * as it was, so the delete can be retried.
 */
export async function deleteBackupLocked(id: string, deps: TBackupDeps, lock: TOperationLock): Promise<TDeleteResult> {
  const row = await findBackupRow(deps, id);
  if (row.status === 'RUNNING') throw new BackupError('BUSY', 'This backup is still being written; it can be deleted when it has finished');
  await writeAudit(deps.db.prisma, deps.audit, { action: 'backup.delete.started', outcome: 'SUCCESS', targetId: id });
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
  const filePath = backupPath(deps, row.filename);
  const fileExisted = fs.existsSync(filePath);
  await fs.promises.rm(filePath, { force: true });
  await deps.db.prisma.backup.update({ where: { id }, data: { status: 'DELETED', location: 'LOCAL', objectKey: null } });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.deleted',
    outcome: 'SUCCESS',
    targetId: id,
    details: { fileExisted, cloudCopyExisted },
  }).catch(() => {});
  return { id, fileExisted, cloudCopyExisted };
}
