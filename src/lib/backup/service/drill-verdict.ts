import type { Backup } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { retryOnLostConnection } from '../errors/connection-errors';
import type { TBackupHeader } from '../format/document';
import { backupLog } from '../process/log';
import type { TBackupDeps } from './deps';
import type { TDrillRestore } from './drill-restore';

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

/** The verdict: every model of the file restored with the recorded count and digest, or the first that was not. */
export function compare(row: Backup, header: TBackupHeader, restore: TDrillRestore, database: string, started: number): TDrillResult {
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
export async function recordVerdict(result: TDrillResult, deps: TBackupDeps): Promise<void> {
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
