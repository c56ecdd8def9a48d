import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TCreateBackupInput } from '../api/inputs';
import { BackupError } from '../errors/errors';
import { WRITE_VERSION } from '../format/document';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import { startProgress, updateProgress } from '../process/progress';
import { selectModels } from '../schema/models';
import { MANIFEST_WRITE_VERSION } from '../snapshot/manifest';
import { newBackupFilename, newManifestName } from '../storage/file-names';
import { backupFailure, cleanUpFailedBackup, markCompleted } from './backup-outcome';
import { loadModels, type TBackupDeps } from './deps';
import { recordFailedStart } from './failed-start';
import { fullBackupOutput } from './full-backup-output';
import { snapshotOutput } from './snapshot-output';
import { type TBackupSummary, toSummary } from './summary';

export type { TCreateBackupInput } from '../api/inputs';

export interface TCreateHooks {
  /** Told the new row's id as soon as it exists. */
  onStarted?: (backupId: string) => void;
  /** The schedule slot this backup stands for: the row is SCHEDULED and records both. */
  schedule?: { id: string; slot: Date };
}

/**
 * Writes a backup of the database (or of the chosen models) from one
 * consistent snapshot of it: a full backup's encrypted file
 * (full-backup-output.ts) or a snapshot's chunks and manifest
 * (snapshot-output.ts). The caller holds the operation lock; it is proved
 * still held before the data is put in its final place and before the row
 * is marked COMPLETED.
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
  const kind = input.kind ?? 'FULL';
  const filename = kind === 'INCREMENTAL' ? newManifestName(new Date()) : newBackupFilename(new Date());
  const row = await prisma.backup.create({
    data: {
      filename,
      kind,
      type: hooks.schedule ? 'SCHEDULED' : (input.type ?? 'MANUAL'),
      scheduleId: hooks.schedule?.id ?? null,
      scheduledFor: hooks.schedule?.slot ?? null,
      status: 'RUNNING',
      models: models.map((model) => model.name),
      createdById: deps.audit.actorId,
      keyId: deps.keyring.current.id,
      formatVersion: kind === 'INCREMENTAL' ? MANIFEST_WRITE_VERSION : WRITE_VERSION,
      owner: lock.owner,
    },
  });
  const progress = startProgress(row.id, 'backup');
  hooks.onStarted?.(row.id);
  const output = kind === 'INCREMENTAL' ? snapshotOutput(deps, row) : fullBackupOutput(deps, row);
  try {
    const written = await output.write(models, Boolean(input.models?.length), progress, lock);
    const { header } = written;
    const rowCounts = Object.fromEntries(header.models.map((model) => [model.name, model.rowCount]));
    const totalRows = header.models.reduce((sum, model) => sum + model.rowCount, 0);
    await lock.assertHeld('recording the backup as completed');
    const completed = await markCompleted(deps, row.id, lock.owner, {
      ...written.row,
      rowCounts,
      totalRows: BigInt(totalRows),
      durationMs: Date.now() - started,
      completedAt: new Date(),
    });
    await output.completed(written);
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
          kind: completed.kind,
          sizeBytes: Number(completed.sizeBytes),
          totalRows,
          durationMs: completed.durationMs,
          models: models.length,
          location: completed.location,
          ...written.details,
        },
      },
      deps.log ?? backupLog,
    );
    return toSummary(completed);
  } catch (error) {
    const failure = backupFailure(error, lock);
    updateProgress(progress, { phase: 'failed' });
    await cleanUpFailedBackup(
      deps,
      { id: row.id, started, removeTemporary: () => output.removeTemporary(), removeOutputs: () => output.removeOutputs() },
      error,
      failure,
    );
    throw failure;
  }
}
