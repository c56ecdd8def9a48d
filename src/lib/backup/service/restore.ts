import fs from 'node:fs';
import path from 'node:path';
import { writeAudit, writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TRestoreOptions } from '../api/inputs';
import { findFileKey } from '../crypto/encrypted-file';
import { allKeys } from '../crypto/keys';
import { retryOnLostConnection } from '../errors/connection-errors';
import { BackupError, clause, MESSAGES, publicMessage, sentences } from '../errors/errors';
import { fileContent, type TBackupContent } from '../format/backup-content';
import { withBackupHold } from '../lock/backup-hold';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import { startProgress, updateProgress } from '../process/progress';
import type { TImportResult } from '../restore/import-document';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { sqlOf } from '../sql/sql';
import { LocalStorage } from '../storage';
import { isManifestName } from '../storage/file-names';
import { createBackupLocked } from './create-backup';
import { loadModels, reportProgress, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';
import { withDownloadedObject } from './offsite';
import { snapshotContentIn, withBackupContent } from './open-content';
import { modelsInFile, restoreSet } from './restore-plan';
import { importInTransaction, restoreFailure } from './restore-transaction';
import { openManifestWithKeys, readManifestBytes } from './snapshot-storage';

export type { TRestoreOptions } from '../api/inputs';

export interface TRestoreResult extends TImportResult {
  success: true;
  /** Id of the PRE_RESTORE backup taken first, or null when skipped (and why). */
  safetyBackupId: string | null;
  safetyBackupSkipped: string | null;
  durationMs: number;
}

/** Restores a backup recorded in the `Backup` table. The caller holds the operation lock. */
export async function restoreBackupLocked(
  id: string,
  options: TRestoreOptions,
  deps: TBackupDeps,
  lock: TOperationLock,
): Promise<TRestoreResult> {
  requireConfirmation(options);
  const row = await findBackupRow(deps, id);
  if (row.status !== 'COMPLETED')
    throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}; only COMPLETED backups can be restored`);
  // Not beside a restore drill of the same backup (README, "Restore drills").
  return withBackupHold(deps.db.database, id, 'exclusive', () =>
    withBackupContent(row, deps, (open) => restoreContentLocked(open, options, deps, lock, id)),
  );
}

/**
 * Restores any backup file, with or without a `Backup` row (disaster
 * recovery on an empty database): a full backup's file, or a snapshot's
 * manifest with its chunks beside it (the `chunks/` folder of the same
 * directory). `filePath` comes from the operator (CLI), never from a web
 * request.
 */
export async function restoreFromPathLocked(
  filePath: string,
  preferredKeyId: string | null,
  options: TRestoreOptions,
  deps: TBackupDeps,
  lock: TOperationLock,
  backupId: string | null = null,
): Promise<TRestoreResult> {
  requireConfirmation(options);
  if (!fs.existsSync(filePath)) throw new BackupError('FILE_MISSING', MESSAGES.fileMissing);
  const open = async () => {
    if (!isManifestName(path.basename(filePath)))
      return fileContent(filePath, await findFileKey(filePath, allKeys(deps.keyring), preferredKeyId));
    // The chunks are beside the manifest, in whatever directory the operator points at.
    const beside = [{ place: 'local' as const, storage: new LocalStorage(path.dirname(filePath)) }];
    const { manifest, key } = openManifestWithKeys(await readManifestBytes(beside, path.basename(filePath)), deps, preferredKeyId);
    return snapshotContentIn(beside, manifest, key, deps);
  };
  return restoreContentLocked(open, options, deps, lock, backupId, `file:${filePath}`);
}

/**
 * Restores a backup's content: opened (authenticated, its chunks checked)
 * before anything changes, the restore.started audit row, the safety
 * backup, then the import in one transaction.
 */
async function restoreContentLocked(
  open: () => Promise<TBackupContent>,
  options: TRestoreOptions,
  deps: TBackupDeps,
  lock: TOperationLock,
  backupId: string | null,
  label = backupId ?? 'backup',
): Promise<TRestoreResult> {
  const started = Date.now();
  const progress = startProgress(backupId ?? label, 'restore');
  try {
    updateProgress(progress, { phase: 'verifying' });
    // The whole file (or the manifest and every chunk's presence) is checked before anything changes.
    const content = await open();
    const first = await content.peek();
    const all = await loadModels(deps, { ignoreUnplaced: true });
    const models = restoreSet(all, modelsInFile(first, all));
    updateProgress(progress, { rowsTotal: first.kind === 'header' ? first.header.models.reduce((sum, m) => sum + m.rowCount, 0) : 0 });

    // Written before anything changes; if it cannot be written, nothing is restored.
    await writeAudit(deps.db.prisma, deps.audit, {
      action: 'backup.restore.started',
      outcome: 'SUCCESS',
      targetId: backupId,
      details: { models: models.length, safetyBackup: options.safetyBackup !== false },
    });

    await reportProgress(deps, progress, { phase: 'safety-backup' });
    const safety = await takeSafetyBackup(models, options, deps, lock);
    await reportProgress(deps, progress, { phase: 'restoring' });
    const result = await importInTransaction(content, models, deps, lock, {
      progress,
      complete: (imported) => ({ success: true, ...imported, ...safety, durationMs: Date.now() - started }),
      backupId,
    });
    updateProgress(progress, { phase: 'done' });
    return result;
  } catch (caught) {
    const error = restoreFailure(caught);
    updateProgress(progress, { phase: 'failed' });
    await writeAuditBestEffort(
      deps.db.prisma,
      deps.audit,
      {
        action: 'backup.restored',
        outcome: 'FAILURE',
        targetId: backupId,
        details: { error: publicMessage(error) },
      },
      deps.log ?? backupLog,
      retryOnLostConnection,
    );
    throw error;
  }
}

function requireConfirmation(options: TRestoreOptions): void {
  if (options.confirm !== true) {
    throw new BackupError(
      'CONFIRMATION_REQUIRED',
      'A restore replaces the current data: confirm it explicitly (confirm: true, or --yes on the command line)',
    );
  }
}

/**
 * Takes the PRE_RESTORE backup of the data about to be replaced. Its failure
 * stops the restore before it starts, and says so.
 */
async function takeSafetyBackup(models: TBackupModel[], options: TRestoreOptions, deps: TBackupDeps, lock: TOperationLock) {
  if (options.safetyBackup === false) return { safetyBackupId: null, safetyBackupSkipped: 'disabled by the operator (--no-safety-backup)' };
  const sql = sqlOf(deps.db.prisma);
  const [current] = await sql.query<{ rows: string }>(
    `SELECT (${models.map((model) => `(SELECT count(*) FROM ${qualifiedName(model)})`).join(' + ')})::text AS rows`,
  );
  if (Number(current?.rows ?? 0) === 0) return { safetyBackupId: null, safetyBackupSkipped: 'the restored models hold no rows' };
  try {
    const safety = await createBackupLocked({ type: 'PRE_RESTORE' }, deps, lock);
    return { safetyBackupId: safety.id, safetyBackupSkipped: null };
  } catch (error) {
    throw new BackupError(
      error instanceof BackupError ? error.code : 'INTERNAL',
      sentences(
        `The safety backup before the restore failed: ${clause(publicMessage(error))}`,
        'The restore was not started; nothing was changed',
      ),
      { cause: error },
    );
  }
}

/**
 * Disaster recovery from the off-site storage: `s3://<bucket>/<key>`, where
 * the bucket is the configured S3_BUCKET and the key is a backup file name,
 * with or without the configured prefix. The object is downloaded to a
 * temporary file and restored like any file.
 */
export async function restoreFromObjectLocked(
  address: string,
  options: TRestoreOptions,
  deps: TBackupDeps,
  lock: TOperationLock,
): Promise<TRestoreResult> {
  requireConfirmation(options);
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(address);
  if (!match) throw new BackupError('INVALID_INPUT', 'An off-site address looks like s3://<bucket>/<key>');
  if (!deps.offsite)
    throw new BackupError('STORAGE', 'No off-site storage is configured: set BACKUP_STORAGE and the S3_* settings to restore from s3://');
  const [, bucket, key] = match as unknown as [string, string, string];
  const where = deps.offsite.storage.describe();
  if (!where.startsWith(`s3://${bucket}/`)) throw new BackupError('INVALID_INPUT', `${address} is not in the configured bucket (${where})`);
  const prefix = where.slice(`s3://${bucket}/`.length);
  const name = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  if (isManifestName(name)) {
    // A snapshot's manifest: its chunks are in the same bucket and prefix.
    const offsite = [{ place: 'offsite' as const, storage: deps.offsite.storage }];
    const open = async () => {
      const { manifest, key: manifestKey } = openManifestWithKeys(await readManifestBytes(offsite, name), deps, null);
      return snapshotContentIn(offsite, manifest, manifestKey, deps);
    };
    return restoreContentLocked(open, options, deps, lock, null, address);
  }
  return withDownloadedObject(name, deps, (filePath) => restoreFromPathLocked(filePath, null, options, deps, lock));
}
