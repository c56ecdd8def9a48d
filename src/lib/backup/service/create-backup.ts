import fs from 'node:fs';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TCreateBackupInput } from '../api/inputs';
import { sha256File, writeEncryptedFile } from '../crypto/encrypted-file';
import { BackupError } from '../errors/errors';
import { beginSnapshot, readHeader, snapshotBlocks } from '../export/read-snapshot';
import { sharedCodecPool } from '../format/codec-pool';
import { writeCopyDocument } from '../format/copy-document-writer';
import { WRITE_VERSION } from '../format/document';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import { startProgress, type TProgress, updateProgress } from '../process/progress';
import { selectModels, type TBackupModel } from '../schema/models';
import { withEngineTransaction } from '../sql/engine-transaction';
import { newBackupFilename } from '../storage/file-names';
import { backupFailure, cleanUpFailedBackup, markCompleted, removeBackupFile } from './backup-outcome';
import { backupPath, loadModels, reportProgress, type TBackupDeps, temporaryPath } from './deps';
import { recordFailedStart } from './failed-start';
import { storageMessage, UPLOAD_INCIDENT_KEY, uploadBackupFile, uploadRecovered } from './offsite';
import { type TBackupSummary, toSummary } from './summary';

export type { TCreateBackupInput } from '../api/inputs';

export interface TCreateHooks {
  /** Told the new row's id as soon as it exists. */
  onStarted?: (backupId: string) => void;
  /** The schedule slot this backup stands for: the row is SCHEDULED and records both. */
  schedule?: { id: string; slot: Date };
}

/**
 * Writes a backup of the database (or of the chosen models): one consistent
 * snapshot streamed through COPY, turned into JSON lines and gzip members in
 * worker threads, and through AES-256-GCM into a temporary file that is fsynced and renamed into place only when complete.
 * The caller holds the operation lock; it is proved still held before the
 * rename and before the row is marked COMPLETED.
 */
export async function createBackupLocked(
  input: TCreateBackupInput,
  deps: TBackupDeps,
  lock: TOperationLock,
  hooks: TCreateHooks = {},
): Promise<TBackupSummary> {
  const { prisma } = deps.db;
  const started = Date.now();
  // Before the row exists, so a failure here is recorded on a row of its own.
  const allModels = await loadModels(deps).catch((error: unknown) => recordFailedStart(input, deps, error));
  const unknown = (input.models ?? []).filter((name) => !allModels.some((model) => model.name === name));
  if (unknown.length > 0) {
    throw new BackupError(
      'INVALID_INPUT',
      `Unknown model(s): ${unknown.join(', ')}. Known models: ${allModels.map((m) => m.name).join(', ')}`,
    );
  }
  const models = selectModels(allModels, input.models);
  await fs.promises.mkdir(deps.backupDir, { recursive: true });
  const filename = newBackupFilename(new Date());
  const finalPath = backupPath(deps, filename);
  const tempPath = temporaryPath(deps, filename);
  const row = await prisma.backup.create({
    data: {
      filename,
      type: hooks.schedule ? 'SCHEDULED' : (input.type ?? 'MANUAL'),
      scheduleId: hooks.schedule?.id ?? null,
      scheduledFor: hooks.schedule?.slot ?? null,
      status: 'RUNNING',
      models: models.map((model) => model.name),
      createdById: deps.audit.actorId,
      keyId: deps.keyring.current.id,
      formatVersion: WRITE_VERSION,
      owner: lock.owner,
    },
  });
  const progress = startProgress(row.id, 'backup');
  hooks.onStarted?.(row.id);
  let uploadedKey: string | null = null;
  try {
    const { header, digests } = await writeSnapshotFile(deps, models, Boolean(input.models?.length), tempPath, progress, lock);
    await reportProgress(deps, progress, { phase: 'finishing' });
    const sha256 = await sha256File(tempPath);
    const { size } = await fs.promises.stat(tempPath);
    await lock.assertHeld('putting the backup file in place');
    await fs.promises.rename(tempPath, finalPath);
    await syncDirectory(deps.backupDir);
    const offsite = await copyOffsite(deps, { id: row.id, filename }, sha256, progress);
    uploadedKey = offsite.objectKey;
    const rowCounts = Object.fromEntries(header.models.map((model) => [model.name, model.rowCount]));
    const totalRows = header.models.reduce((sum, model) => sum + model.rowCount, 0);
    await lock.assertHeld('recording the backup as completed');
    const completed = await markCompleted(deps, row.id, lock.owner, {
      ...offsite,
      sizeBytes: BigInt(size),
      sha256,
      rowCounts,
      totalRows: BigInt(totalRows),
      modelDigests: digests,
      durationMs: Date.now() - started,
      completedAt: new Date(),
    });
    // Only now: until the row says CLOUD, the local file is the backup.
    if (offsite.location === 'CLOUD') await removeBackupFile(deps, finalPath, `the local copy of backup ${row.id}`);
    updateProgress(progress, { phase: 'done', rowsDone: totalRows });
    await writeAuditBestEffort(
      prisma,
      deps.audit,
      {
        action: 'backup.created',
        outcome: 'SUCCESS',
        targetId: row.id,
        details: {
          type: completed.type,
          sizeBytes: size,
          totalRows,
          durationMs: completed.durationMs,
          models: models.length,
          location: completed.location,
          ...(offsite.uploadError ? { uploadError: offsite.uploadError } : {}),
        },
      },
      deps.log ?? backupLog,
    );
    return toSummary(completed);
  } catch (error) {
    const failure = backupFailure(error, lock);
    updateProgress(progress, { phase: 'failed' });
    await cleanUpFailedBackup(deps, { id: row.id, tempPath, finalPath, uploadedKey, started }, error, failure);
    throw failure;
  }
}

async function writeSnapshotFile(
  deps: TBackupDeps,
  models: TBackupModel[],
  partial: boolean,
  tempPath: string,
  progress: TProgress,
  lock: TOperationLock,
) {
  const pool = sharedCodecPool(deps.workers);
  // The workers start while the snapshot's header is read.
  pool.warm();
  // Straight on the engine's driver: COPY streams each table's rows as
  // PostgreSQL's own text, which worker threads turn into document lines.
  // Read-only, so nothing to commit either way.
  return withEngineTransaction(deps.db.database, { applicationName: 'erp-backup:export' }, async (sql, connection) => {
    await beginSnapshot(sql);
    const header = await readHeader(sql, models, partial);
    await reportProgress(deps, progress, {
      phase: 'exporting',
      rowsTotal: header.models.reduce((sum, model) => sum + model.rowCount, 0),
    });
    const blocks = snapshotBlocks(connection, models, {
      onRows: async (model, count) => {
        // A backup whose lock is gone stops at once rather than at the rename.
        lock.check('writing the rest of the backup');
        await reportProgress(deps, progress, { currentModel: model, rowsDone: progress.rowsDone + count });
      },
    });
    // Filled as each model's rows are written: the digests the file itself records.
    const digests: Record<string, string> = {};
    const document = writeCopyDocument(header, blocks, { pool, digests });
    await writeEncryptedFile(tempPath, deps.keyring.current, document, (bytes) =>
      updateProgress(progress, { bytesWritten: progress.bytesWritten + bytes }),
    );
    return { header, digests };
  });
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
