import { BackupError } from '../../errors/errors';
import type { TOperationLock } from '../../lock/operation-lock';
import { StorageError } from '../../storage';
import { localStorageOf } from '../backup-storages';
import type { TBackupDeps } from '../deps';
import { storageMessage, uploadBackupFile } from '../offsite';
import type { TScrubbedRow } from './copy-check';

/** Storage failures as BackupErrors, so the scrub's result carries their readable message. */
async function asBackupError<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof StorageError) throw new BackupError('STORAGE', `${what}: ${storageMessage(error)}`, { cause: error });
    throw error;
  }
}

/**
 * Replaces the local copy with `verifiedPath` (an off-site copy already
 * checked: size, SHA-256, auth tag, downloaded into BACKUP_DIR) through
 * BACKUP_DIR's `putFile`: the download fsynced and renamed over the backup's
 * name, the directory fsynced, its size and SHA-256 checked against the row
 * first. The caller holds the operation lock.
 */
export async function restoreLocalCopy(row: TScrubbedRow, deps: TBackupDeps, verifiedPath: string, lock: TOperationLock): Promise<void> {
  await lock.assertHeld('replacing the damaged local copy');
  await asBackupError('Could not write the local copy', () =>
    localStorageOf(deps).putFile(row.filename, verifiedPath, {
      sha256: row.sha256 ?? undefined,
      size: Number(row.sizeBytes),
    }),
  );
}

/**
 * Uploads the (checked) local copy again over the off-site object, with its
 * SHA-256 and size checked while it streams, as after a backup. The caller
 * holds the operation lock.
 */
export async function reuploadOffsiteCopy(row: TScrubbedRow, deps: TBackupDeps, lock: TOperationLock): Promise<void> {
  await lock.assertHeld('replacing the damaged off-site copy');
  const key = await asBackupError('Could not upload the local copy', () => uploadBackupFile(deps, row.filename, row.sha256));
  // Uploads are stored under the file's name; a row recorded under another key now points at the good copy.
  if (key !== row.objectKey) await deps.db.prisma.backup.update({ where: { id: row.id }, data: { objectKey: key } });
}
