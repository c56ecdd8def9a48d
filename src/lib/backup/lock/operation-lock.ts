import type { TOpenedDatabase } from '@/lib/db/adapter';
import { BackupError, MESSAGES } from '../errors';

/** Arbitrary, fixed advisory-lock key shared by every instance of the ERP. */
const ADVISORY_LOCK_KEY = 7_202_611;

const heldInThisProcess = new WeakSet<TOpenedDatabase>();

export interface TOperationLock {
  release(): Promise<void>;
}

/**
 * Makes backups and restores one at a time per database. Within a process a
 * flag suffices; across processes sharing a PostgreSQL server, a
 * transaction-scoped advisory lock is held on a dedicated connection for the
 * whole operation, so it is released even if this process dies. (The embedded
 * database is only ever open in one process.) Throws BUSY when taken.
 */
export async function acquireOperationLock(database: TOpenedDatabase): Promise<TOperationLock> {
  if (heldInThisProcess.has(database)) throw new BackupError('BUSY', MESSAGES.busy);
  heldInThisProcess.add(database);
  if (!database.sharedAcrossProcesses) {
    return { release: async () => void heldInThisProcess.delete(database) };
  }
  try {
    const adapter = await database.adapterFactory.connect();
    const transaction = await adapter.startTransaction();
    const result = await transaction.queryRaw({
      sql: `SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCK_KEY}) AS locked`,
      args: [],
      argTypes: [],
    });
    const release = async () => {
      // The adapter's rollback() only hands the connection back to its pool;
      // the ROLLBACK statement is what ends the transaction and its lock.
      await transaction.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => {});
      await transaction.rollback().catch(() => {});
      await adapter.dispose().catch(() => {});
      heldInThisProcess.delete(database);
    };
    if (result.rows[0]?.[0] !== true) {
      await release();
      throw new BackupError('BUSY', MESSAGES.busy);
    }
    return { release };
  } catch (error) {
    heldInThisProcess.delete(database);
    throw error;
  }
}
