import { acquireOperationLock, type TOperationLock } from '../lock/operation-lock';
import type { TBackupDeps } from './deps';

/** Runs an operation that changes backups or data while holding the one-at-a-time lock (BUSY when another holds it). */
export async function exclusive<T>(deps: TBackupDeps, operation: (lock: TOperationLock) => Promise<T>): Promise<T> {
  const lock = await acquireOperationLock(deps.db.database);
  try {
    return await operation(lock);
  } finally {
    await lock.release();
  }
}
