import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Backup } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TAlertEvent } from '../alerts/alert-event';
import { BackupError, MESSAGES } from '../errors/errors';
import { backupLog } from '../process/log';
import { StorageError } from '../storage';
import { backupPath, type TBackupDeps } from './deps';
import { downloadTempPath } from './stale-downloads';

/** A user-facing sentence for a storage failure (StorageError messages are written for users and hold no secret). */
export function storageMessage(error: unknown): string {
  return error instanceof StorageError ? error.message : 'The off-site storage failed unexpectedly';
}

/** Uploads a finished local backup file to the off-site storage, with its SHA-256 and size checked on the way. */
export async function uploadBackupFile(
  deps: TBackupDeps,
  filename: string,
  sha256: string | null,
  onProgress?: (bytes: number) => void,
): Promise<string> {
  if (!deps.offsite) throw new BackupError('STORAGE', 'No off-site storage is configured (BACKUP_STORAGE=local)');
  const filePath = backupPath(deps, filename);
  const { size } = await fs.promises.stat(filePath);
  await deps.offsite.storage.put(filename, () => fs.createReadStream(filePath), { sha256: sha256 ?? undefined, size, onProgress });
  return filename;
}

/**
 * Runs `use` with a local path of the backup's file: the local copy when it
 * exists, else the off-site copy downloaded to a temporary file in
 * BACKUP_DIR (removed afterwards). The caller still checks the SHA-256 and
 * the auth tag; nothing downloaded is trusted as is.
 */
export async function withBackupFile<T>(
  row: Pick<Backup, 'filename' | 'objectKey'>,
  deps: TBackupDeps,
  use: (filePath: string, source: 'local' | 'cloud') => Promise<T>,
): Promise<T> {
  const localPath = backupPath(deps, row.filename);
  if (fs.existsSync(localPath)) return use(localPath, 'local');
  if (!row.objectKey || !deps.offsite) throw new BackupError('FILE_MISSING', MESSAGES.fileMissing);
  return withDownloadedObject(
    row.objectKey,
    deps,
    (filePath) => use(filePath, 'cloud'),
    `${MESSAGES.fileMissing}, and its off-site copy is gone too`,
  );
}

/**
 * Runs `use` with the off-site object `objectKey` downloaded to a temporary
 * file in BACKUP_DIR (removed afterwards), whatever local file has the same
 * name: `restore-file s3://…` means that object.
 */
export async function withDownloadedObject<T>(
  objectKey: string,
  deps: TBackupDeps,
  use: (filePath: string) => Promise<T>,
  notFoundMessage = `No object ${objectKey} in the off-site storage`,
): Promise<T> {
  if (!deps.offsite) throw new BackupError('STORAGE', 'No off-site storage is configured (BACKUP_STORAGE=local)');
  const tempPath = downloadTempPath(deps.backupDir, objectKey);
  await fs.promises.mkdir(deps.backupDir, { recursive: true });
  try {
    try {
      await pipeline(await deps.offsite.storage.get(objectKey), fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      if (deps.offsite.storage.isNotFound(error)) throw new BackupError('FILE_MISSING', notFoundMessage, { cause: error });
      throw new BackupError('STORAGE', `Could not download the off-site copy: ${storageMessage(error)}`, { cause: error });
    }
    return await use(tempPath);
  } finally {
    await fs.promises.rm(tempPath, { force: true });
  }
}

/** The one incident of failed uploads: closed by the next upload that works (a backup's or `sync`'s). */
export const UPLOAD_INCIDENT_KEY = 'upload.failed';

/** The alert that ends an `upload.failed` incident (sent only if one is open). */
export function uploadRecovered(backupId: string | null): TAlertEvent {
  return {
    event: 'recovered',
    severity: 'info',
    message: 'Off-site copies work again: a backup was uploaded.',
    backupId,
    incidentKey: UPLOAD_INCIDENT_KEY,
  };
}

/**
 * Uploads completed backups that have no off-site copy yet (an earlier upload
 * failed, or `both` was enabled later). Returns what happened to each.
 */
export async function syncPendingUploads(deps: TBackupDeps): Promise<{ uploaded: string[]; failed: { id: string; error: string }[] }> {
  const result = { uploaded: [] as string[], failed: [] as { id: string; error: string }[] };
  if (!deps.offsite) throw new BackupError('STORAGE', 'No off-site storage is configured: set BACKUP_STORAGE=both and the S3_* settings');
  const pending = await deps.db.prisma.backup.findMany({
    // A snapshot is not copied here: the next snapshot stores off-site every chunk it needs (README, "Snapshots").
    where: { status: 'COMPLETED', location: 'LOCAL', kind: 'FULL' },
    orderBy: { createdAt: 'asc' },
  });
  for (const row of pending) {
    if (!fs.existsSync(backupPath(deps, row.filename))) continue;
    try {
      const objectKey = await uploadBackupFile(deps, row.filename, row.sha256);
      await deps.db.prisma.backup.update({ where: { id: row.id }, data: { location: 'BOTH', objectKey, uploadError: null } });
      result.uploaded.push(row.id);
    } catch (error) {
      const message = storageMessage(error);
      await deps.db.prisma.backup.update({ where: { id: row.id }, data: { uploadError: message } });
      result.failed.push({ id: row.id, error: message });
    }
  }
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    {
      action: 'backup.synced',
      outcome: result.failed.length ? 'FAILURE' : 'SUCCESS',
      details: { uploaded: result.uploaded, failed: result.failed },
    },
    deps.log ?? backupLog,
  );
  // Every completed backup now has its off-site copy: an open upload incident is over.
  if (result.failed.length === 0) await deps.alert?.(uploadRecovered(result.uploaded.at(-1) ?? null));
  return result;
}
