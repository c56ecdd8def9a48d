import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Backup } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TAlertEvent } from '../alerts/alert-event';
import { BackupError, MESSAGES } from '../errors/errors';
import { backupLog } from '../process/log';
import { type BackupStorage, StorageError } from '../storage';
import { isBackupFileName, isManifestName } from '../storage/file-names';
import { backupTargets, localStorageOf } from './backup-storages';
import type { TBackupDeps } from './deps';
import { downloadTempPath } from './stale-downloads';

/** A user-facing sentence for a storage failure (StorageError messages are written for users and hold no secret). */
export function storageMessage(error: unknown): string {
  return error instanceof StorageError ? error.message : 'The off-site storage failed unexpectedly';
}

/**
 * Uploads a finished local backup file (read in place from BACKUP_DIR) to the
 * off-site storage, its SHA-256 and size checked on the way; a missing local
 * file rejects with `SOURCE_FAILED`.
 */
export async function uploadBackupFile(
  deps: TBackupDeps,
  filename: string,
  sha256: string | null,
  onProgress?: (bytes: number) => void,
): Promise<string> {
  if (!deps.offsite) throw new BackupError('STORAGE', 'No off-site storage is configured (BACKUP_STORAGE=local)');
  const local = localStorageOf(deps);
  const { size } = await local.stat(backupKey(filename));
  await deps.offsite.storage.putFile(filename, localFilePath(local, filename), { sha256: sha256 ?? undefined, size, onProgress });
  return filename;
}

/** Where a local backend keeps `filename`, to be read in place. */
function localFilePath(storage: BackupStorage, filename: string): string {
  const filePath = storage.localPath(backupKey(filename));
  if (filePath === null) throw new Error(`${storage.describe()} is not a local backend`);
  return filePath;
}

/** A backup's file (or manifest) name; only names the engine generated reach here, checked again anyway. */
function backupKey(filename: string): string {
  if (!(isBackupFileName(filename) || isManifestName(filename))) throw new Error(`Refusing an unexpected backup file name: ${filename}`);
  return filename;
}

/** A backup file to read by path: in place in a local backend, or a temporary download of a remote one. */
export interface TBackupFile {
  path: string;
  source: 'local' | 'cloud';
  /** Its size in the storage. */
  size: number;
}

/**
 * Runs `use` with a local path of the backup's file, from the first backend
 * that has it (backupTargets: BACKUP_DIR first): a local one's file read in
 * place, a remote one's object (under the row's `objectKey`) downloaded to a
 * temporary file in BACKUP_DIR (removed afterwards). The caller still checks
 * the SHA-256 and the auth tag; nothing downloaded is trusted as is.
 */
export async function withBackupFile<T>(
  row: Pick<Backup, 'filename' | 'objectKey'>,
  deps: TBackupDeps,
  use: (file: TBackupFile) => Promise<T>,
): Promise<T> {
  let remote: BackupStorage | undefined;
  for (const { storage } of backupTargets(deps)) {
    const filePath = storage.localPath(backupKey(row.filename));
    if (filePath === null) {
      remote ??= storage;
      continue;
    }
    const size = await storage.stat(row.filename).then(
      (info) => info.size,
      (error: unknown) => {
        if (storage.isNotFound(error)) return null;
        throw new BackupError('STORAGE', `Could not read the backup file: ${storageMessage(error)}`, { cause: error });
      },
    );
    if (size !== null) return use({ path: filePath, source: 'local', size });
  }
  if (!row.objectKey || !remote) throw new BackupError('FILE_MISSING', MESSAGES.fileMissing);
  return downloadObject(
    remote,
    row.objectKey,
    deps,
    (file) => use({ ...file, source: 'cloud' }),
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
  use: (filePath: string, size: number) => Promise<T>,
  notFoundMessage = `No object ${objectKey} in the off-site storage`,
): Promise<T> {
  if (!deps.offsite) throw new BackupError('STORAGE', 'No off-site storage is configured (BACKUP_STORAGE=local)');
  return downloadObject(deps.offsite.storage, objectKey, deps, (file) => use(file.path, file.size), notFoundMessage);
}

/** Downloads `objectKey` of `storage` to a temporary file in BACKUP_DIR (scratch, not a backup), runs `use`, removes it. */
async function downloadObject<T>(
  storage: BackupStorage,
  objectKey: string,
  deps: TBackupDeps,
  use: (file: { path: string; size: number }) => Promise<T>,
  notFoundMessage: string,
): Promise<T> {
  const tempPath = downloadTempPath(deps.backupDir, objectKey);
  await fs.promises.mkdir(deps.backupDir, { recursive: true });
  try {
    let size: number;
    try {
      const body = await storage.get(objectKey);
      const written = fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600 });
      await pipeline(body, written);
      size = written.bytesWritten;
    } catch (error) {
      if (storage.isNotFound(error)) throw new BackupError('FILE_MISSING', notFoundMessage, { cause: error });
      throw new BackupError('STORAGE', `Could not download the off-site copy: ${storageMessage(error)}`, { cause: error });
    }
    return await use({ path: tempPath, size });
  } finally {
    await fs.promises.rm(tempPath, { force: true });
  }
}

/** True when `storage` holds `key`; any failure but "not found" is thrown. */
async function hasObject(storage: BackupStorage, key: string): Promise<boolean> {
  return storage.stat(key).then(
    () => true,
    (error: unknown) => {
      if (storage.isNotFound(error)) return false;
      throw error;
    },
  );
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
  const local = localStorageOf(deps);
  for (const row of pending) {
    try {
      // No local file: nothing to upload from (the row's verify reports it).
      if (!(await hasObject(local, row.filename))) continue;
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
