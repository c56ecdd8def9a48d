import { beginSnapshot, readHeader, snapshotBlocks } from '../export/read-snapshot';
import { sharedCodecPool } from '../format/codec-pool';
import type { TModelBlocks } from '../format/copy-document-writer';
import type { TBackupHeader } from '../format/document';
import type { TOperationLock } from '../lock/operation-lock';
import type { TProgress } from '../process/progress';
import type { TBackupModel } from '../schema/models';
import { type TEngineConnection, withEngineTransaction } from '../sql/engine-transaction';
import type { TSql } from '../sql/sql';
import { reportProgress, type TBackupDeps } from './deps';

/** The export's transaction, for an output that reads more than each model's rows in order (snapshot-segments.ts). */
export interface TExportSession {
  sql: TSql;
  connection: TEngineConnection;
  /** Progress and the lock check, for each block of rows read (or rows taken over unread). */
  onRows: (model: string, count: number) => Promise<void>;
}

/**
 * Opens one consistent snapshot of the database and hands `write` its header
 * and each model's rows as blocks of COPY text, straight from the engine's
 * driver (worker threads turn them into document lines). Read-only, so
 * nothing to commit either way. Progress is reported per block, and a lost
 * lock stops the export at once rather than at the end.
 */
export async function exportRows<T>(
  deps: TBackupDeps,
  models: TBackupModel[],
  partial: boolean,
  progress: TProgress,
  lock: TOperationLock,
  write: (header: TBackupHeader, blocks: TModelBlocks[], session: TExportSession) => Promise<T>,
  /** Runs first in the snapshot; the row counts it returns are not counted again for the header. */
  survey?: (sql: TSql) => Promise<ReadonlyMap<string, number>>,
): Promise<T> {
  // The workers start while the snapshot's header is read.
  sharedCodecPool(deps.workers).warm();
  return withEngineTransaction(deps.db.database, { applicationName: 'erp-backup:export' }, async (sql, connection) => {
    await beginSnapshot(sql);
    const counted = survey ? await survey(sql) : undefined;
    const header = await readHeader(sql, models, partial, counted);
    await reportProgress(deps, progress, {
      phase: 'exporting',
      rowsTotal: header.models.reduce((sum, model) => sum + model.rowCount, 0),
    });
    const onRows = async (model: string, count: number) => {
      lock.check('writing the rest of the backup');
      await reportProgress(deps, progress, { currentModel: model, rowsDone: progress.rowsDone + count });
    };
    return write(header, snapshotBlocks(connection, models, { onRows }), { sql, connection, onRows });
  });
}
