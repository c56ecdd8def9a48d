import { randomBytes } from 'node:crypto';

/**
 * The one home of the names of files in the backup directory: backup files,
 * the temporary files they are written through, and the temporary files
 * off-site copies are downloaded to. Every temporary name starts with
 * `TEMP_PREFIX`, which no valid storage key can (see `keys.ts`), so a
 * listing, a get or a restore never mistakes one for a backup.
 */

/** Prefix of every in-flight file in the backup directory. */
export const TEMP_PREFIX = '.tmp-';

/** Prefix of a download of an off-site copy: `.tmp-download-<pid>-<random>-<name>`. */
export const DOWNLOAD_TEMP_PREFIX = `${TEMP_PREFIX}download-`;

/**
 * A name the engine accepts as a backup file. Looser than what
 * `newBackupFilename` makes (`backup-<stamp>-<hex>.enc`) so files named by
 * earlier versions stay usable; it still allows no path separator or dot
 * segment.
 */
const BACKUP_FILE_NAME = /^backup-[0-9A-Za-z-]+\.enc$/;

/** True when `name` is a backup file name (never a path, never a temporary file). */
export function isBackupFileName(name: string): boolean {
  return BACKUP_FILE_NAME.test(name);
}

/** The name a new backup file gets: `backup-<UTC timestamp>-<random>.enc`. */
export function newBackupFilename(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `backup-${stamp}-${randomBytes(4).toString('hex')}.enc`;
}

const MANIFEST_NAME = /^backup-[0-9A-Za-z-]+\.manifest$/;

/** True when `name` is a snapshot's manifest name (`backup-<stamp>-<random>.manifest`). */
export function isManifestName(name: string): boolean {
  return MANIFEST_NAME.test(name);
}

/** The name a new snapshot's manifest gets: a new backup file name ending in `.manifest`. */
export function newManifestName(now: Date): string {
  return newBackupFilename(now).replace(/\.enc$/, '.manifest');
}

/** The name a snapshot downloaded as one standalone file gets: its manifest's name ending in `.enc`. */
export function standaloneNameOf(manifestName: string): string {
  return manifestName.replace(/\.manifest$/, '.enc');
}

/** The name a backup file is written under until it is complete. */
export function temporaryBackupName(filename: string): string {
  return `${TEMP_PREFIX}${filename}`;
}

/** True for a temporary backup file (`.tmp-backup-…`), not a storage put or a download. */
export function isTemporaryBackupName(name: string): boolean {
  return name.startsWith(temporaryBackupName('backup-'));
}

/** The name a storage put writes `key` under until it is complete: `.tmp-<random>-<key>`. */
export function temporaryPutName(key: string): string {
  return `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${key}`;
}

const TEMPORARY_PUT_OF_BACKUP = /^\.tmp-[0-9a-f]{12}-backup-/;

/** True for a storage put of a backup file that has not finished (`.tmp-<random>-backup-…`). */
export function isTemporaryPutOfBackup(name: string): boolean {
  return TEMPORARY_PUT_OF_BACKUP.test(name);
}
