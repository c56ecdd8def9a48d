import { BackupError } from '../errors/errors';

let stopReason: string | null = null;
const stopListeners = new Set<(reason: string) => void>();

/**
 * Asks every backup operation of this process, running or started later, to
 * stop: each fails at its next checkpoint (a progress update, see
 * progress.ts) with an INTERRUPTED error, so its own failure path runs as for
 * any other error: the backup row ends FAILED, temporary files are removed,
 * a restore's transaction rolls back, the lock is released. For a process
 * that is shutting down (the CLI on SIGTERM); there is no way back.
 */
export function interruptOperations(reason: string): void {
  if (stopReason !== null) return;
  stopReason = reason;
  for (const listener of stopListeners) listener(reason);
  stopListeners.clear();
}

/** Settles with the reason once `interruptOperations` is called (at once if it was): how a waiting loop wakes up to stop. */
export function whenInterrupted(): Promise<string> {
  if (stopReason !== null) return Promise.resolve(stopReason);
  return new Promise((resolve) => stopListeners.add(resolve));
}

/** Throws INTERRUPTED once `interruptOperations` was called; `restoring` adds that a restore changed nothing. */
export function throwIfInterrupted(restoring: boolean): void {
  if (stopReason === null) return;
  throw new BackupError('INTERRUPTED', `Interrupted: ${stopReason}${restoring ? '. Nothing was changed.' : ''}`);
}

/** Why this process was asked to stop, or null: long-running loops (the scheduler) check it before starting more work. */
export function interruptionReason(): string | null {
  return stopReason;
}
