import type { Readable } from 'node:stream';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError, MESSAGES } from '../errors/errors';
import { backupTargets } from './backup-storages';
import type { TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';
import { storageMessage } from './offsite';
import { openStandaloneSnapshot } from './standalone-snapshot';

/**
 * Opens a completed backup's encrypted file for download (the local copy,
 * else the off-site one; a snapshot as one standalone file in the full
 * backup's layout), recording who took a copy. The file stays encrypted: a
 * download is useless without the key.
 */
export async function openBackupForDownload(id: string, deps: TBackupDeps): Promise<{ filename: string; size: number; stream: Readable }> {
  const row = await findBackupRow(deps, id);
  if (row.status !== 'COMPLETED')
    throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}; only COMPLETED backups can be downloaded`);
  if (row.kind === 'INCREMENTAL') {
    const standalone = await openStandaloneSnapshot(row, deps);
    await auditDownload(deps, id, standalone.size, 'snapshot', standalone.stream);
    return standalone;
  }
  const opened = await openStoredFile(row, deps);
  await auditDownload(deps, id, opened.size, opened.source, opened.stream);
  return { filename: row.filename, size: opened.size, stream: opened.stream };
}

/**
 * The backup's file from the first backend that has it (backupTargets:
 * BACKUP_DIR first; a remote one under the row's `objectKey`). Opened here,
 * not lazily by the stream: a file removed meanwhile is a clear FILE_MISSING
 * now, never an error event on a stream nobody may read.
 */
async function openStoredFile(
  row: { filename: string; objectKey: string | null },
  deps: TBackupDeps,
): Promise<{ size: number; stream: Readable; source: 'local' | 'cloud' }> {
  let missingMessage: string = MESSAGES.fileMissing;
  for (const { place, storage } of backupTargets(deps)) {
    const key = place === 'local' ? row.filename : row.objectKey;
    if (key === null) continue;
    let stream: Readable | undefined;
    try {
      stream = await storage.get(key);
      return { size: (await storage.stat(key)).size, stream, source: place === 'local' ? 'local' : 'cloud' };
    } catch (error) {
      stream?.destroy();
      if (storage.isNotFound(error)) {
        if (place === 'offsite') missingMessage = `${MESSAGES.fileMissing}, and its off-site copy is gone too`;
        continue;
      }
      const what = place === 'local' ? 'the backup file' : 'the off-site copy';
      throw new BackupError('STORAGE', `Could not read ${what}: ${storageMessage(error)}`, { cause: error });
    }
  }
  throw new BackupError('FILE_MISSING', missingMessage);
}

/** Records who took a copy; without the record, no copy (the stream is closed). */
async function auditDownload(deps: TBackupDeps, id: string, size: number, source: string, stream: Readable): Promise<void> {
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.downloaded',
    outcome: 'SUCCESS',
    targetId: id,
    details: { sizeBytes: size, source },
  }).catch((error: unknown) => {
    stream.destroy();
    throw error;
  });
}
