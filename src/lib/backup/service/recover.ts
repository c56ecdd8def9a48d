import fs from 'node:fs';
import path from 'node:path';
import type { TOperationLock } from '../lock/operation-lock';
import { isTemporaryBackupName, isTemporaryPutOfBackup, TEMP_PREFIX } from '../storage/file-names';
import { localStorageOf } from './backup-storages';
import { type TBackupDeps, temporaryPath } from './deps';
import { storageMessage } from './offsite';

/**
 * Cleans up after a process that died mid-backup: its RUNNING rows become
 * FAILED and its files (temporary or renamed but never recorded as
 * complete) are removed, so nothing half-written looks complete. Runs under
 * the operation lock, and touches a row only when its owner provably no
 * longer holds the lock (see `TOperationLock.ownerAlive`); the row is taken
 * over (RUNNING → FAILED, only if still RUNNING) before its files are
 * removed, so a backup that completed meanwhile keeps its file.
 */
export async function recoverInterruptedBackups(deps: TBackupDeps, lock: TOperationLock): Promise<number> {
  const { prisma } = deps.db;
  const running = await prisma.backup.findMany({ where: { status: 'RUNNING' } });
  const live = new Set<string>();
  let recovered = 0;
  for (const row of running) {
    if (await lock.ownerAlive(row.owner)) {
      live.add(row.filename);
      deps.log?.(`Backup ${row.id} is RUNNING and its owner (${row.owner}) still holds the lock: left alone`);
      continue;
    }
    await lock.assertHeld('cleaning up interrupted backups');
    const { count } = await prisma.backup.updateMany({
      where: { id: row.id, status: 'RUNNING' },
      data: { status: 'FAILED', error: 'Interrupted: the process running it stopped, or lost its lock, before the backup finished' },
    });
    if (count === 0) continue;
    // BACKUP_DIR whatever the mode: a backup started under another BACKUP_STORAGE may have put its file there.
    await localStorageOf(deps).delete(row.filename);
    await fs.promises.rm(temporaryPath(deps, row.filename), { force: true });
    // An upload that finished before the process died left an object no row records.
    await deps.offsite?.storage
      .delete(row.filename)
      .catch((error: unknown) =>
        deps.log?.(`The off-site copy of interrupted backup ${row.id} could not be deleted: ${storageMessage(error)}`),
      );
    recovered += 1;
  }
  const entries = await fs.promises.readdir(deps.backupDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  for (const name of entries.filter((entry) => isTemporaryBackupName(entry) && !live.has(entry.slice(TEMP_PREFIX.length)))) {
    await fs.promises.rm(path.join(deps.backupDir, name), { force: true });
  }
  // A storage put into this directory (a scrub's repair of a local copy) runs under the lock this
  // clean-up holds: one found now was left by a process that died mid-write.
  for (const name of entries.filter(isTemporaryPutOfBackup)) {
    await fs.promises.rm(path.join(deps.backupDir, name), { force: true });
  }
  await removeChunkPutsLeftBehind(deps.backupDir);
  if (recovered > 0) deps.log?.(`Marked ${recovered} interrupted backup(s) as FAILED`);
  return recovered;
}

/**
 * A snapshot stores chunks under this lock, so a temporary file in a chunk
 * folder (`chunks/ab/.tmp-…`) found now was left by a process that died
 * mid-put: never a chunk (listings skip it), only wasted space.
 */
async function removeChunkPutsLeftBehind(backupDir: string): Promise<void> {
  const chunksDir = path.join(backupDir, 'chunks');
  const folders = await fs.promises.readdir(chunksDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[];
    throw error;
  });
  for (const folder of folders) {
    const names = await fs.promises.readdir(path.join(chunksDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((entry) => entry.startsWith(TEMP_PREFIX))) {
      await fs.promises.rm(path.join(chunksDir, folder, name), { force: true });
    }
  }
}
