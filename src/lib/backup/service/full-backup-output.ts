import fs from 'node:fs';
import { writeEncryptedFile } from '../crypto/encrypted-file';
import { BackupError } from '../errors/errors';
import { sharedCodecPool } from '../format/codec-pool';
import { writeCopyDocument } from '../format/copy-document-writer';
import { type TProgress, updateProgress } from '../process/progress';
import type { BackupStorage, TStoredFile } from '../storage';
import { removeBackupFile, removeStoredObject } from './backup-outcome';
import type { TBackupOutput } from './backup-output';
import { backupTargets } from './backup-storages';
import { reportProgress, type TBackupDeps, temporaryPath } from './deps';
import { exportRows } from './export-rows';
import { storageMessage, UPLOAD_INCIDENT_KEY, uploadRecovered } from './offsite';

/**
 * A full backup: the document streamed through gzip members (worker threads)
 * and AES-256-GCM into a temporary file in BACKUP_DIR (its auth tag goes at
 * the front, so it cannot be streamed straight into a storage), then put
 * into each backend (backupTargets): BACKUP_DIR's `LocalStorage` moves it
 * into place with one fsync and one rename, the off-site copy is streamed
 * from there (or, with BACKUP_STORAGE=s3, from the temporary file). The lock
 * is proved held before the first put.
 */
export function fullBackupOutput(deps: TBackupDeps, backup: { id: string; filename: string }): TBackupOutput {
  const tempPath = temporaryPath(deps, backup.filename);
  const stored: BackupStorage[] = [];
  return {
    async write(models, partial, progress, lock) {
      await fs.promises.mkdir(deps.backupDir, { recursive: true });
      const size = { textBytes: 0 };
      const { header, digests } = await exportRows(deps, models, partial, progress, lock, async (header, blocks) => {
        // Filled as each model's rows are written: the digests the file itself records.
        const digests: Record<string, string> = {};
        const document = writeCopyDocument(header, blocks, { pool: sharedCodecPool(deps.workers), digests, size });
        await writeEncryptedFile(tempPath, deps.keyring.current, document, (bytes) =>
          updateProgress(progress, { bytesWritten: progress.bytesWritten + bytes }),
        );
        return { header, digests };
      });
      await reportProgress(deps, progress, { phase: 'finishing' });
      await lock.assertHeld('putting the backup file in place');
      const [first, offsite] = backupTargets(deps);
      if (!first) throw new Error('No backup storage is configured');
      let file: TStoredFile;
      let location: { location: 'LOCAL' | 'BOTH' | 'CLOUD'; objectKey: string | null; uploadError: string | null };
      if (first.place === 'local') {
        file = await first.storage.putFile(backup.filename, tempPath);
        stored.push(first.storage);
        location = offsite ? await copyOffsite(deps, backup, first.storage, offsite.storage, file, progress) : LOCAL_ONLY;
        if (offsite && location.location === 'BOTH') stored.push(offsite.storage);
      } else {
        // BACKUP_STORAGE=s3: the off-site object is the only copy, so its failure fails the backup.
        await reportProgress(deps, progress, { phase: 'uploading', bytesWritten: 0 });
        try {
          file = await first.storage.putFile(backup.filename, tempPath, { onProgress: uploadProgress(progress) });
        } catch (error) {
          throw new BackupError('STORAGE', `Uploading the backup to off-site storage failed: ${storageMessage(error)}`, { cause: error });
        }
        stored.push(first.storage);
        await deps.alert?.(uploadRecovered(backup.id));
        location = { location: 'CLOUD', objectKey: backup.filename, uploadError: null };
      }
      return {
        header,
        row: {
          ...location,
          sizeBytes: BigInt(file.size),
          sha256: file.sha256,
          modelDigests: digests,
          logicalBytes: BigInt(size.textBytes),
          storedBytes: BigInt(file.size),
        },
        details: location.uploadError ? { uploadError: location.uploadError } : {},
      };
    },
    // The temporary file is gone once moved into BACKUP_DIR; with BACKUP_STORAGE=s3 it is removed now that the row points at the object.
    completed: () => removeBackupFile(deps, tempPath, `the temporary file of backup ${backup.id}`),
    removeTemporary: () => removeBackupFile(deps, tempPath, `the temporary file of backup ${backup.id}`),
    async removeOutputs() {
      for (const storage of stored)
        await removeStoredObject(deps, storage, backup.filename, `the stored copy of failed backup ${backup.id}`);
    },
  };
}

const LOCAL_ONLY = { location: 'LOCAL' as const, objectKey: null, uploadError: null };

function uploadProgress(progress: TProgress): (bytes: number) => void {
  return (bytes) => updateProgress(progress, { bytesWritten: bytes });
}

/**
 * Copies the file just stored in BACKUP_DIR off-site (`both`), read in place.
 * A failed upload leaves a good local backup (location LOCAL, the error
 * recorded, and `sync` retries) and raises `upload.failed`. A successful
 * upload ends an `upload.failed` incident.
 */
async function copyOffsite(
  deps: TBackupDeps,
  backup: { id: string; filename: string },
  local: BackupStorage,
  offsite: BackupStorage,
  file: TStoredFile,
  progress: TProgress,
) {
  await reportProgress(deps, progress, { phase: 'uploading', bytesWritten: 0 });
  try {
    const localPath = local.localPath(backup.filename);
    if (localPath === null) throw new Error(`${local.describe()} is not a local backend`);
    await offsite.putFile(backup.filename, localPath, { ...file, onProgress: uploadProgress(progress) });
    await deps.alert?.(uploadRecovered(backup.id));
    return { location: 'BOTH' as const, objectKey: backup.filename, uploadError: null };
  } catch (error) {
    deps.log?.(`Backup ${backup.filename} kept locally; its upload failed: ${storageMessage(error)}`);
    await deps.alert?.({
      event: 'upload.failed',
      severity: 'warning',
      message: `A backup was made and kept on the server, but copying it off-site failed: ${storageMessage(error)}`,
      backupId: backup.id,
      incidentKey: UPLOAD_INCIDENT_KEY,
    });
    return { ...LOCAL_ONLY, uploadError: storageMessage(error) };
  }
}
