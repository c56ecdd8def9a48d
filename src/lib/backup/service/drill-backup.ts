import type { Backup } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { findFileKey, sha256File } from '../crypto/encrypted-file';
import { allKeys } from '../crypto/keys';
import { createThrowawayDatabase } from '../drill/throwaway-database';
import { retryOnLostConnection } from '../errors/connection-errors';
import { BackupError, publicMessage } from '../errors/errors';
import type { TBackupHeader } from '../format/document';
import { peekBackupFile } from '../format/read-backup-file';
import { withBackupHold } from '../lock/backup-hold';
import { backupLog } from '../process/log';
import type { TBackupDeps } from './deps';
import { restoreIntoThrowaway, type TDrillPosition, type TDrillRestore } from './drill-restore';
import { findBackupRow } from './find-backup';
import { withBackupFile } from './offsite';
import { restoreFailure } from './restore-transaction';

/** One model of a drill: the rows restored, the rows the backup recorded, and whether their digests agree (null: none recorded). */
export interface TDrillModel {
  name: string;
  rows: number;
  expectedRows: number;
  digestMatches: boolean | null;
}

/** What a restore drill proved (README, "Restore drills"). */
export interface TDrillResult {
  status: 'OK' | 'FAILED';
  backupId: string;
  models: TDrillModel[];
  /** The first thing that differs; `model` is null when the file itself could not be restored before any model. */
  firstDifference?: { model: string | null; reason: string };
  durationMs: number;
  /** `not recorded`: a backup made before digests, drilled on row counts only. */
  digests: 'checked' | 'not recorded';
  /** Where the throwaway database lived (no password). */
  database: string | null;
}

/** Errors that say the backup does not restore (a FAILED drill), rather than that the drill could not run. */
const BACKUP_FAULTS = new Set(['CORRUPT', 'AUTH_FAILED', 'UNSUPPORTED_VERSION', 'RESTORE_FAILED', 'FILE_MISSING']);

/**
 * Restores a backup (by default the newest COMPLETED one) into a throwaway
 * database, never the live one, and proves it: per model, the restored rows'
 * count and content digest equal what the backup recorded. The verdict is
 * stored on the backup's row, audited (`backup.drilled`) and, when FAILED,
 * alerted (`drill.failed`). The drill holds its backup shared, so a delete,
 * a prune or a restore of it waits its turn; it takes no operation lock and
 * touches no live data, so it runs beside a backup. Throws (no verdict) when
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
    return await withBackupFile(row, deps, async (filePath) => {
      if (row.sha256 && (await sha256File(filePath)) !== row.sha256)
        return failed(null, 'The backup file does not match the checksum recorded when it was made: it was modified or damaged');
      const key = await findFileKey(filePath, allKeys(deps.keyring), row.keyId);
      const first = await peekBackupFile(filePath, key);
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
        const restore = await restoreIntoThrowaway(throwaway, filePath, key, first.header, deps, current);
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

/** The verdict: every model of the file restored with the recorded count and digest, or the first that was not. */
function compare(row: Backup, header: TBackupHeader, restore: TDrillRestore, database: string, started: number): TDrillResult {
  const rowDigests = (row.modelDigests ?? null) as Record<string, string> | null;
  const hasDigests = rowDigests !== null || restore.fileDigests.size > 0;
  const models: TDrillModel[] = [];
  let firstDifference: TDrillResult['firstDifference'];
  const differ = (model: string, reason: string) => {
    firstDifference ??= { model, reason };
  };
  for (const fileModel of header.models) {
    const { name } = fileModel;
    const restored = restore.restored.get(name);
    const expectedRows = (row.rowCounts as Record<string, number> | null)?.[name] ?? fileModel.rowCount;
    const recorded = rowDigests?.[name] ?? restore.fileDigests.get(name);
    const fileDigest = restore.fileDigests.get(name);
    const digestMatches = recorded === undefined || !restored ? null : restored.digest === recorded;
    models.push({ name, rows: restored?.rows ?? 0, expectedRows, digestMatches });
    if (!restored) differ(name, `${name} could not be restored: this version of the ERP has no table for it`);
    else if (restored.rows !== expectedRows) differ(name, `${name} restored ${restored.rows} rows; the backup recorded ${expectedRows}`);
    else if (fileDigest !== undefined && recorded !== undefined && fileDigest !== recorded)
      differ(name, `${name}'s digest in the file differs from the one recorded on the backup's row`);
    else if (digestMatches === false) differ(name, `${name}'s restored rows differ from the rows the backup recorded (content digest)`);
  }
  return {
    status: firstDifference ? 'FAILED' : 'OK',
    backupId: row.id,
    models,
    ...(firstDifference ? { firstDifference } : {}),
    durationMs: Date.now() - started,
    digests: hasDigests ? 'checked' : 'not recorded',
    database,
  };
}

/** Stores the verdict on the row, audits it, and alerts a FAILED one. */
async function recordVerdict(result: TDrillResult, deps: TBackupDeps): Promise<void> {
  const reason = result.firstDifference ? `${result.firstDifference.reason}` : null;
  await retryOnLostConnection(() =>
    deps.db.prisma.backup.update({
      where: { id: result.backupId },
      data: { lastDrillAt: new Date(), lastDrillStatus: result.status, lastDrillError: reason },
    }),
  );
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    {
      action: 'backup.drilled',
      outcome: result.status === 'OK' ? 'SUCCESS' : 'FAILURE',
      targetId: result.backupId,
      details: {
        status: result.status,
        durationMs: result.durationMs,
        digests: result.digests,
        models: result.models.length,
        rows: result.models.reduce((sum, model) => sum + model.rows, 0),
        ...(result.firstDifference ? { firstDifference: result.firstDifference } : {}),
      },
    },
    deps.log ?? backupLog,
    retryOnLostConnection,
  );
  if (result.status === 'FAILED') {
    await deps.alert?.({
      event: 'drill.failed',
      severity: 'critical',
      message: `The restore drill of backup ${result.backupId} failed: ${reason ?? 'it did not restore to the data it recorded'}. Take a new backup and check this one.`,
      backupId: result.backupId,
      incidentKey: `drill.failed:${result.backupId}`,
    });
  }
}
