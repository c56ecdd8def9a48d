import { BackupError } from '../errors/errors';

let stopReason: string | null = null;

/**
 * Asks every backup operation of this process, running or started later, to
 * stop: each fails at its next checkpoint (a progress update, see
 * progress.ts) with an INTERRUPTED error, so its own failure path runs as for
 * any other error: the backup row ends FAILED, temporary files are removed,
 * a restore's transaction rolls back, the lock is released. For a process
 * that is shutting down (the CLI on SIGTERM); there is no way back.
 */
export function interruptOperations(reason: string): void {
  stopReason ??= reason;
}

/** Throws INTERRUPTED once `interruptOperations` was called; `restoring` adds that a restore changed nothing. */
export function throwIfInterrupted(restoring: boolean): void {
  if (stopReason === null) return;
  throw new BackupError('INTERRUPTED', `Interrupted: ${stopReason}${restoring ? '. Nothing was changed.' : ''}`);
}
