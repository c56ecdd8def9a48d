import { randomBytes } from 'node:crypto';
import { writeAuditOn } from '@/lib/audit/audit-log';
import { isConnectionLost, retryOnLostConnection } from '../errors/connection-errors';
import { BackupError, MESSAGES, sentences } from '../errors/errors';
import type { TBackupContent } from '../format/backup-content';
import { sharedCodecPool } from '../format/codec-pool';
import type { TOperationLock } from '../lock/operation-lock';
import type { TProgress } from '../process/progress';
import { databaseMessage } from '../restore/database-message';
import { importDocument, type TImportResult } from '../restore/import-document';
import type { TBackupModel } from '../schema/models';
import { withEngineTransaction } from '../sql/engine-transaction';
import { reportProgress, type TBackupDeps } from './deps';
import type { TRestoreResult } from './restore';

/**
 * Replaces the data in one transaction on a connection of its own (COPY
 * needs the driver's connection, not Prisma's), whose last statement before COMMIT
 * writes the `backup.restored` audit row: the outcome commits with the data
 * or not at all, so a process killed during COMMIT never leaves a restored
 * database without its record (nor a record without the data). The lock is
 * proved held right before. If the connection dies during COMMIT itself, that
 * row tells whether the restore was applied.
 */
export async function importInTransaction(
  content: TBackupContent,
  models: TBackupModel[],
  deps: TBackupDeps,
  lock: TOperationLock,
  run: { progress: TProgress; complete: (imported: TImportResult) => TRestoreResult; backupId: string | null },
): Promise<TRestoreResult> {
  const { progress } = run;
  const outcome = randomBytes(8).toString('hex');
  // Set by the transaction's last statement, so a failure after it is known to be one of COMMIT.
  const done: { result: TRestoreResult | null } = { result: null };
  try {
    await withEngineTransaction(deps.db.database, { applicationName: 'erp-backup:restore' }, async (sql, connection) => {
      const imported = await importDocument({ sql, connection }, models, content.blocks(), {
        pool: sharedCodecPool(deps.workers),
        onRows: async (model, rows) => {
          lock.check('committing the restore');
          await reportProgress(deps, progress, { currentModel: model, rowsDone: progress.rowsDone + rows });
        },
      });
      await lock.assertHeld('committing the restore');
      const complete = run.complete(imported);
      await writeAuditOn((statement, params) => sql.execute(statement, ...params), deps.audit, {
        action: 'backup.restored',
        outcome: 'SUCCESS',
        targetId: run.backupId,
        details: {
          recordsRestored: complete.recordsRestored,
          durationMs: complete.durationMs,
          safetyBackupId: complete.safetyBackupId,
          safetyBackupSkipped: complete.safetyBackupSkipped,
          outcome,
        },
      });
      done.result = complete;
    });
  } catch (error) {
    // Only a connection lost after the last statement leaves the outcome in doubt; the audit row settles it.
    if (done.result === null || !isConnectionLost(error)) throw error;
    const committed = await retryOnLostConnection(() =>
      deps.db.prisma.auditLog.count({
        where: { action: 'backup.restored', outcome: 'SUCCESS', details: { path: ['outcome'], equals: outcome } },
      }),
    ).catch((cause: unknown) => {
      throw new BackupError(
        'DATABASE_UNAVAILABLE',
        sentences(
          `The connection to the database was lost while the restore was committing, and whether it was applied cannot be checked now (${MESSAGES.connectionLost})`,
          'It was applied if the audit log holds a backup.restored row for it',
        ),
        { cause },
      );
    });
    if (committed === 0) throw error;
    deps.log?.('The connection to the database was lost while the restore was committing; its audit row shows it was applied');
  }
  if (done.result === null) throw new BackupError('INTERNAL', 'The restore transaction ended without a result');
  return done.result;
}

/** The error a failed restore reports: what happened, and that nothing was changed (the transaction rolled back). */
export function restoreFailure(caught: unknown): BackupError {
  if (caught instanceof BackupError && caught.code !== 'RESTORE_FAILED' && caught.code !== 'INTERNAL') return caught;
  if (isConnectionLost(caught))
    return new BackupError(
      'DATABASE_UNAVAILABLE',
      sentences(`Restore failed: ${MESSAGES.connectionLost}`, 'Nothing was changed', MESSAGES.retryWhenReachable),
      { cause: caught },
    );
  if (caught instanceof BackupError) return caught;
  return new BackupError('RESTORE_FAILED', sentences(`Restore failed: ${databaseMessage(caught)}`, 'Nothing was changed'), {
    cause: caught,
  });
}
