import fs from 'node:fs';
import { sha256File, writeEncryptedFile } from '../crypto/encrypted-file';
import { BackupError } from '../errors/errors';
import { sharedCodecPool } from '../format/codec-pool';
import { writeCopyDocument } from '../format/copy-document-writer';
import { type TProgress, updateProgress } from '../process/progress';
import { removeBackupFile } from './backup-outcome';
import type { TBackupOutput, TWrittenBackup } from './backup-output';
import { backupPath, reportProgress, type TBackupDeps, temporaryPath } from './deps';
import { exportRows } from './export-rows';
import { storageMessage, UPLOAD_INCIDENT_KEY, uploadBackupFile, uploadRecovered } from './offsite';

/**
 * A full backup: the document streamed through gzip members (worker threads)
 * and AES-256-GCM into a temporary file that is fsynced and renamed into
 * place only when complete, then copied off-site when configured. The lock
 * is proved held before the rename.
 */
export function fullBackupOutput(deps: TBackupDeps, backup: { id: string; filename: string }): TBackupOutput {
  const finalPath = backupPath(deps, backup.filename);
  const tempPath = temporaryPath(deps, backup.filename);
  let uploadedKey: string | null = null;
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
      const sha256 = await sha256File(tempPath);
      const { size: fileBytes } = await fs.promises.stat(tempPath);
      await lock.assertHeld('putting the backup file in place');
      await fs.promises.rename(tempPath, finalPath);
      await syncDirectory(deps.backupDir);
      const offsite = await copyOffsite(deps, backup, sha256, progress);
      uploadedKey = offsite.objectKey;
      return {
        header,
        row: {
          ...offsite,
          sizeBytes: BigInt(fileBytes),
          sha256,
          modelDigests: digests,
          logicalBytes: BigInt(size.textBytes),
          storedBytes: BigInt(fileBytes),
        },
        details: offsite.uploadError ? { uploadError: offsite.uploadError } : {},
      };
    },
    async completed(written: TWrittenBackup) {
      // Only now: until the row says CLOUD, the local file is the backup.
      if (written.row.location === 'CLOUD') await removeBackupFile(deps, finalPath, `the local copy of backup ${backup.id}`);
    },
    removeTemporary: () => removeBackupFile(deps, tempPath, `the temporary file of backup ${backup.id}`),
    async removeOutputs() {
      await removeBackupFile(deps, finalPath, `the file of failed backup ${backup.id}`);
      if (uploadedKey && deps.offsite) {
        await deps.offsite.storage
          .delete(uploadedKey)
          .catch((cause: unknown) =>
            deps.log?.(`The off-site copy ${uploadedKey} of failed backup ${backup.id} could not be deleted: ${storageMessage(cause)}`),
          );
      }
    },
  };
}

/**
 * Copies the finished file off-site when configured. With `both`, a failed
 * upload leaves a good local backup (location LOCAL, the error recorded, and
 * `sync` retries) and raises `upload.failed`; with `s3` there is no other
 * copy, so it fails the backup. A successful upload ends an `upload.failed` incident.
 */
async function copyOffsite(deps: TBackupDeps, backup: { id: string; filename: string }, sha256: string, progress: TProgress) {
  if (!deps.offsite) return { location: 'LOCAL' as const, objectKey: null, uploadError: null };
  await reportProgress(deps, progress, { phase: 'uploading', bytesWritten: 0 });
  try {
    const objectKey = await uploadBackupFile(deps, backup.filename, sha256, (bytes) => updateProgress(progress, { bytesWritten: bytes }));
    await deps.alert?.(uploadRecovered(backup.id));
    return { location: deps.offsite.mode === 's3' ? ('CLOUD' as const) : ('BOTH' as const), objectKey, uploadError: null };
  } catch (error) {
    if (deps.offsite.mode === 's3')
      throw new BackupError('STORAGE', `Uploading the backup to off-site storage failed: ${storageMessage(error)}`, { cause: error });
    deps.log?.(`Backup ${backup.filename} kept locally; its upload failed: ${storageMessage(error)}`);
    await deps.alert?.({
      event: 'upload.failed',
      severity: 'warning',
      message: `A backup was made and kept on the server, but copying it off-site failed: ${storageMessage(error)}`,
      backupId: backup.id,
      incidentKey: UPLOAD_INCIDENT_KEY,
    });
    return { location: 'LOCAL' as const, objectKey: null, uploadError: storageMessage(error) };
  }
}

/** Makes the rename durable: without it a power cut can forget the new directory entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
