import { acquireOperationLock } from '../lock/operation-lock';
import { createBackupLocked, type TCreateBackupInput } from './create-backup';
import { deleteBackupLocked } from './delete-backup';
import type { TBackupDeps } from './deps';
import { recoverInterruptedBackups } from './recover';
import { restoreBackupLocked, restoreFromPathLocked, type TRestoreOptions } from './restore';

export type { TCreateBackupInput } from './create-backup';
export type { TBackupDeps } from './deps';
export { listBackups } from './list-backups';
export type { TRestoreOptions, TRestoreResult } from './restore';
export type { TBackupSummary } from './summary';
export type { TVerifyResult } from './verify-backup';
export { verifyBackup } from './verify-backup';

/** Runs an operation that changes backups or data while holding the one-at-a-time lock. */
async function exclusive<T>(deps: TBackupDeps, operation: () => Promise<T>): Promise<T> {
  const lock = await acquireOperationLock(deps.db.database);
  try {
    return await operation();
  } finally {
    await lock.release();
  }
}

export const createBackup = (input: TCreateBackupInput, deps: TBackupDeps) => exclusive(deps, () => createBackupLocked(input, deps));
export const restoreBackup = (id: string, options: TRestoreOptions, deps: TBackupDeps) =>
  exclusive(deps, () => restoreBackupLocked(id, options, deps));
export const restoreFromFile = (filePath: string, options: TRestoreOptions, deps: TBackupDeps) =>
  exclusive(deps, () => restoreFromPathLocked(filePath, null, options, deps));
export const deleteBackup = (id: string, deps: TBackupDeps) => exclusive(deps, () => deleteBackupLocked(id, deps));
export const recoverInterrupted = (deps: TBackupDeps) => exclusive(deps, () => recoverInterruptedBackups(deps));
