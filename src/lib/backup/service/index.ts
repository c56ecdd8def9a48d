import { previewPrune, pruneLocked, type TPruneScope } from '../scheduling/prune';
import { collectGarbageLocked } from './collect-garbage';
import { createBackupLocked, type TCreateBackupInput, type TCreateHooks } from './create-backup';
import { deleteBackupLocked } from './delete-backup';
import type { TBackupDeps } from './deps';
import { exclusive } from './exclusive';
import { syncPendingUploads } from './offsite';
import { rebuildIndexLocked } from './rebuild-index';
import { recoverInterruptedBackups } from './recover';
import { requireRegularFile } from './regular-file';
import { restoreBackupLocked, restoreFromObjectLocked, restoreFromPathLocked, type TRestoreOptions } from './restore';

export { listOpenIncidents, type TIncidentView } from '../alerts/incidents';
export { backupHealth, checkBackupAge, type TBackupHealth } from '../scheduling/backup-health';
export { setPinned } from '../scheduling/pin';
export type { TPruneResult } from '../scheduling/prune';
export { runDue, type TRunDueResult } from '../scheduling/run-due';
export {
  addSchedule,
  ensureDefaultSchedule,
  getSchedule,
  listSchedules,
  removeSchedule,
  type TScheduleView,
  updateSchedule,
} from '../scheduling/schedule-store';
export { newRunnerId, startScheduler } from '../scheduling/scheduler';
export type { TGcResult } from './collect-garbage';
export type { TCreateBackupInput } from './create-backup';
export type { TDeleteResult } from './delete-backup';
export type { TBackupDeps } from './deps';
export { drillBackup, type TDrillModel, type TDrillResult } from './drill-backup';
export { getBackupRow } from './find-backup';
export { listBackups } from './list-backups';
export { openBackupForDownload } from './open-backup';
export type { TRebuildIndexResult } from './rebuild-index';
export type { TRestoreOptions, TRestoreResult } from './restore';
export type { TRestorePlan } from './restore-plan';
export { planRestore } from './restore-plan';
export { scrubBackups, type TScrubOptions, type TScrubResult } from './scrub/scrub-backups';
export type { TBackupSummary } from './summary';
export type { TVerifyResult } from './verify-backup';
export { verifyBackup } from './verify-backup';

/** Makes a backup; `onStarted` is told its id as soon as its RUNNING row exists (a backup child process reports it at once). */
export const createBackup = (input: TCreateBackupInput, deps: TBackupDeps, hooks: Pick<TCreateHooks, 'onStarted'> = {}) =>
  exclusive(deps, (lock) => createBackupLocked(input, deps, lock, hooks));

/**
 * Starts a backup and returns as soon as it is under way (its RUNNING row
 * exists), for callers that must not wait minutes for it, such as a web
 * request: progress is then polled by id. `done` settles when it finishes;
 * failures after the start are recorded on the row.
 */
export async function startBackup(input: TCreateBackupInput, deps: TBackupDeps): Promise<{ id: string; done: Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const done = exclusive(deps, (lock) => createBackupLocked(input, deps, lock, { onStarted: (id) => resolve({ id, done }) }));
    // Before the start, a failure (busy, bad input) is the caller's answer; after it, the row records it.
    done.catch(reject);
  });
}
export const restoreBackup = (id: string, options: TRestoreOptions, deps: TBackupDeps) =>
  exclusive(deps, (lock) => restoreBackupLocked(id, options, deps, lock));
/** Restores a file path given by an operator, or an `s3://bucket/key` address of the off-site storage. */
export async function restoreFromFile(source: string, options: TRestoreOptions, deps: TBackupDeps) {
  if (source.startsWith('s3://')) return exclusive(deps, (lock) => restoreFromObjectLocked(source, options, deps, lock));
  // Before the lock: a FIFO or a device would otherwise hold it while the read blocks for ever.
  await requireRegularFile(source);
  return exclusive(deps, (lock) => restoreFromPathLocked(source, null, options, deps, lock));
}
export const syncUploads = (deps: TBackupDeps) => exclusive(deps, () => syncPendingUploads(deps));
export const deleteBackup = (id: string, deps: TBackupDeps) => exclusive(deps, (lock) => deleteBackupLocked(id, deps, lock));
export const recoverInterrupted = (deps: TBackupDeps) => exclusive(deps, (lock) => recoverInterruptedBackups(deps, lock));

/** Applies a retention policy (under the lock), or only plans it on a dry run (no lock: a preview works while a backup runs). */
export const pruneBackups = (input: TPruneScope & { dryRun: boolean }, deps: TBackupDeps, now: Date) =>
  input.dryRun ? previewPrune(input, deps, now) : exclusive(deps, (lock) => pruneLocked(input, deps, lock, now));

/** Deletes the snapshot chunks no manifest references (or, on a dry run, only counts them), under the lock. */
export const collectGarbage = (input: { dryRun?: boolean }, deps: TBackupDeps) =>
  exclusive(deps, (lock) => collectGarbageLocked(input, deps, lock));
/** Rebuilds the chunk index from the manifests and chunks in the storage, under the lock. */
export const rebuildChunkIndex = (deps: TBackupDeps) => exclusive(deps, (lock) => rebuildIndexLocked(deps, lock));
