import type { TSnapshotTarget } from '../snapshot/chunk-targets';
import { type BackupStorage, LocalStorage, withRetries } from '../storage';
import type { TBackupDeps } from './deps';

/**
 * BACKUP_DIR as a backend (`LocalStorage`, retries wrapped): where full
 * backups and snapshots are kept unless BACKUP_STORAGE=s3, and where an
 * off-site copy is re-uploaded from or repaired into.
 */
export function localStorageOf(deps: TBackupDeps): BackupStorage {
  return withRetries(new LocalStorage(deps.backupDir));
}

/**
 * Every backend backups are stored in, in the order they are read: BACKUP_DIR
 * unless BACKUP_STORAGE=s3, then the off-site storage when there is one. A
 * full backup is put into each (local first); a snapshot is complete only
 * when its manifest and every chunk are in each (README, "Snapshots").
 */
export function backupTargets(deps: TBackupDeps): TSnapshotTarget[] {
  const targets: TSnapshotTarget[] = [];
  if (deps.offsite?.mode !== 's3') targets.push({ place: 'local', storage: localStorageOf(deps) });
  if (deps.offsite) targets.push({ place: 'offsite', storage: deps.offsite.storage });
  return targets;
}
