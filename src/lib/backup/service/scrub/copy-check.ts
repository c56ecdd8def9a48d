import type { Backup } from '@/generated/prisma/client';
import { findFileKey, sha256File } from '../../crypto/encrypted-file';
import { allKeys } from '../../crypto/keys';
import { BackupError, publicMessage } from '../../errors/errors';
import { localStorageOf } from '../backup-storages';
import type { TBackupDeps } from '../deps';
import { storageMessage, withDownloadedObject } from '../offsite';

/** The columns of a backup a scrub reads. */
export type TScrubbedRow = Pick<Backup, 'id' | 'filename' | 'location' | 'objectKey' | 'sizeBytes' | 'sha256' | 'keyId' | 'scrubStatus'>;

/**
 * What a check found of one copy: good; gone; there but not the bytes the
 * row recorded; or not checkable here (no off-site storage configured, the
 * storage unreachable, the key not configured), which is no proof either way.
 */
export type TCopyCheck = { state: 'ok' } | { state: 'missing' | 'damaged' | 'unchecked'; problem: string };

const OK: TCopyCheck = { state: 'ok' };
const damaged = (problem: string): TCopyCheck => ({ state: 'damaged', problem });
const unchecked = (problem: string): TCopyCheck => ({ state: 'unchecked', problem });

/**
 * Checks a file against its row: its size, its SHA-256 and its AES-256-GCM
 * auth tag over the whole file (the check verify and restore use), each
 * streamed, so memory stays flat whatever the file's size.
 */
export async function checkFile(filePath: string, size: number, row: TScrubbedRow, deps: TBackupDeps): Promise<TCopyCheck> {
  if (row.sizeBytes === null || row.sha256 === null) return unchecked('its row records no size or checksum to compare with');
  const expected = Number(row.sizeBytes);
  if (size !== expected) return damaged(`it is ${size} bytes, not the ${expected} recorded`);
  if ((await sha256File(filePath)) !== row.sha256) return damaged('its SHA-256 differs from the recorded checksum');
  const keys = allKeys(deps.keyring);
  if (row.keyId && !keys.some((key) => key.id === row.keyId)) {
    return unchecked(
      `its auth tag could not be checked: the key ${row.keyId} it was made with is not configured (BACKUP_ENCRYPTION_KEYS_PREVIOUS)`,
    );
  }
  try {
    await findFileKey(filePath, keys, row.keyId);
  } catch (error) {
    if (error instanceof BackupError && error.code === 'AUTH_FAILED') return damaged('its AES-GCM auth tag does not authenticate it');
    throw error;
  }
  return OK;
}

/** The local file of a backup (BACKUP_DIR's backend), its size from the storage, its bytes read in place. */
export async function checkLocalCopy(row: TScrubbedRow, deps: TBackupDeps): Promise<TCopyCheck> {
  const storage = localStorageOf(deps);
  const missing: TCopyCheck = { state: 'missing', problem: 'the file is not in the backup directory' };
  let size: number;
  try {
    size = (await storage.stat(row.filename)).size;
  } catch (error) {
    if (storage.isNotFound(error)) return missing;
    return unchecked(`it could not be read: ${storageMessage(error)}`);
  }
  try {
    return await checkFile(storage.localPath(row.filename) as string, size, row, deps);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return missing;
    // An unreadable sector is damage; a permission or other error says nothing about the bytes.
    if (code === 'EIO') return damaged('the disk could not read it (EIO)');
    return unchecked(`it could not be read (${code ?? publicMessage(error)})`);
  }
}

/**
 * The off-site copy of a backup: its size from the storage first (a wrong
 * size needs no download), then downloaded to a temporary file in
 * BACKUP_DIR and checked like a local file. While that verified download
 * still exists, `onGood` may use it (to repair the local copy from it
 * without a second download); it must not throw.
 */
export async function checkOffsiteCopy(
  row: TScrubbedRow,
  deps: TBackupDeps,
  onGood: (verifiedPath: string) => Promise<void>,
): Promise<TCopyCheck> {
  if (!deps.offsite) return unchecked('no off-site storage is configured on this server');
  const { storage } = deps.offsite;
  const key = row.objectKey ?? row.filename;
  try {
    const { size } = await storage.stat(key);
    if (row.sizeBytes !== null && size !== Number(row.sizeBytes)) return damaged(`it is ${size} bytes, not the ${row.sizeBytes} recorded`);
  } catch (error) {
    if (storage.isNotFound(error)) return { state: 'missing', problem: `the object ${key} is not in the off-site storage` };
    return unchecked(`the off-site storage could not be read: ${storageMessage(error)}`);
  }
  try {
    return await withDownloadedObject(key, deps, async (filePath, size) => {
      const check = await checkFile(filePath, size, row, deps);
      if (check.state === 'ok') await onGood(filePath);
      return check;
    });
  } catch (error) {
    if (error instanceof BackupError && error.code === 'FILE_MISSING') {
      return { state: 'missing', problem: `the object ${key} is not in the off-site storage` };
    }
    return unchecked(`it could not be downloaded: ${publicMessage(error)}`);
  }
}
