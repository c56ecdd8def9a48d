import type { Backup } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { createThrowawayDatabase } from '../drill/throwaway-database';
import { retryOnLostConnection } from '../errors/connection-errors';
import { BackupError, publicMessage } from '../errors/errors';
import { withBackupHold } from '../lock/backup-hold';
import { backupLog } from '../process/log';
import type { TBackupDeps } from './deps';
import { restoreIntoThrowaway, type TDrillPosition } from './drill-restore';
import { compare, recordVerdict, type TDrillResult } from './drill-verdict';
import { findBackupRow } from './find-backup';
import { withBackupContent } from './open-content';
import { restoreFailure } from './restore-transaction';

export type { TDrillModel, TDrillResult } from './drill-verdict';

/** Errors that say the backup does not restore (a FAILED drill), rather than that the drill could not run. */
const BACKUP_FAULTS = new Set(['CORRUPT', 'AUTH_FAILED', 'UNSUPPORTED_VERSION', 'RESTORE_FAILED', 'FILE_MISSING']);

/**
 * Restores a backup (by default the newest COMPLETED one) into a throwaway
 * database, never the live one, and proves it: per model, the restored rows'
 * count and content digest equal what the backup recorded. The verdict is
 * stored on the backup's row, audited (`backup.drilled`) and, when FAILED,
 * alerted (`drill.failed`). The drill holds its backup shared, so a delete,
 * a prune or a restore of it is refused (BUSY) meanwhile; it takes no
 * operation lock and touches no live data, so it runs beside a backup. Throws (no verdict) when
 * it could not run: busy, no throwaway database, no key.
 */
export async function drillBackup(input: { id?: string }, deps: TBackupDeps): Promise<TDrillResult> {
  const started = Date.now();
  const id = input.id ?? (await newestCompletedId(deps));
  try {
    const result = await withBackupHold(deps.db.database, id, 'shared', async (hold) => {
      const row = await findBackupRow(deps, id);
      if (row.status !== 'COMPLETED')
        throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}; only COMPLETED backups can be drilled`);
      const verdict = await drillRow(row, deps, started);
      // A FAILED drill whose hold was lost may have seen the file deleted under it: no verdict then.
      if (verdict.status === 'FAILED' && hold.lostReason !== null)
        throw new BackupError('BUSY', `The drill of backup ${id} lost its hold on the backup (${hold.lostReason}); try again`);
      return verdict;
    });
    await recordVerdict(result, deps);
    return result;
  } catch (error) {
    await writeAuditBestEffort(
      deps.db.prisma,
      deps.audit,
      { action: 'backup.drilled', outcome: 'FAILURE', targetId: id, details: { error: publicMessage(error) } },
      deps.log ?? backupLog,
      retryOnLostConnection,
    );
    throw error;
  }
}

async function newestCompletedId(deps: TBackupDeps): Promise<string> {
  const newest = await deps.db.prisma.backup.findFirst({
    where: { status: 'COMPLETED' },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  if (!newest) throw new BackupError('NOT_FOUND', 'There is no completed backup to drill');
  return newest.id;
}

async function drillRow(row: Backup, deps: TBackupDeps, started: number): Promise<TDrillResult> {
  const failed = (model: string | null, reason: string, database: string | null = null): TDrillResult => ({
    status: 'FAILED',
    backupId: row.id,
    models: [],
    firstDifference: { model, reason },
    durationMs: Date.now() - started,
    digests: row.modelDigests ? 'checked' : 'not recorded',
    database,
  });
  const current: TDrillPosition = { model: null, restoring: false };
  let database: string | null = null;
  try {
    return await withBackupContent(row, deps, async (open) => {
      const content = await open();
      const first = await content.peek();
      if (first.kind !== 'header')
        throw new BackupError(
          'NOT_RESTORABLE',
          'A version 1 file (the earlier service) records no schema version, so it cannot be drilled',
        );
      const throwaway = await createThrowawayDatabase({
        live: deps.db.database,
        serverUrl: deps.drill?.serverUrl,
        tempDir: deps.drill?.tempDir,
      });
      database = throwaway.where;
      try {
        const restore = await restoreIntoThrowaway(throwaway, content, first.header, deps, current);
        return compare(row, first.header, restore, throwaway.where, started);
      } finally {
        await throwaway
          .dispose()
          .catch((error: unknown) =>
            (deps.log ?? backupLog)(
              `Could not remove the drill's throwaway database ${throwaway.name} (the next start removes it): ${String(error)}`,
            ),
          );
      }
    });
  } catch (caught) {
    // While the file is loaded, any database error is the backup's (a row that does not fit); elsewhere only the file's faults are.
    const error = current.restoring ? restoreFailure(caught) : caught;
    if (!(error instanceof BackupError) || !BACKUP_FAULTS.has(error.code)) throw error;
    return failed(current.model, publicMessage(error).replace(/\s*Nothing was changed\.?$/, ''), database);
  }
}
