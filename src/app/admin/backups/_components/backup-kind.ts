import type { TBackupSummary } from '@/lib/backup/service/summary';
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from './format';

/**
 * How the dashboard names a backup's kind and says its size. Pure and
 * browser-safe: the table's rows and their tests use it alike.
 */

/** A backup's kind in the dashboard's words (the table's Type cell). */
export const BACKUP_KIND_LABELS: Record<TBackupSummary['kind'], string> = { FULL: 'Full', INCREMENTAL: 'Snapshot' };

/** What `backupSizeWords` reads of a backup. */
export type TSizedBackup = Pick<TBackupSummary, 'kind' | 'sizeBytes' | 'logicalBytes' | 'storedBytes' | 'chunksNew' | 'chunksReused'>;

/**
 * The size of a backup as the Size cell shows it, most telling part first.
 * A full backup is its file: one size. A snapshot's manifest is tiny and its
 * chunks are shared with other snapshots, so its own "size" would mislead:
 * it shows the data it holds, what it newly stored, and how many of its
 * chunks were new or already stored ("12.3 MiB data", "210.0 KiB new",
 * "3 new / 140 reused chunks"). Parts not known yet (a running snapshot) are
 * left out; a dash when nothing is known.
 */
export function backupSizeWords(backup: TSizedBackup): string[] {
  if (backup.kind !== 'INCREMENTAL') return [formatBytes(backup.sizeBytes)];
  const { logicalBytes, storedBytes, chunksNew, chunksReused } = backup;
  const chunks =
    chunksNew === null || chunksReused === null
      ? null
      : `${formatCount(chunksNew)} new / ${formatCount(chunksReused)} reused chunk${chunksNew + chunksReused === 1 ? '' : 's'}`;
  const parts = [
    logicalBytes === null ? null : `${formatBytes(logicalBytes)} data`,
    storedBytes === null ? null : `${formatBytes(storedBytes)} new`,
    chunks,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts : [formatBytes(null)];
}
