import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError, MESSAGES } from '../errors/errors';
import { backupPath, type TBackupDeps } from './deps';
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
  const filePath = backupPath(deps, row.filename);
  // Opened here, not lazily by the stream: a file removed meanwhile is a clear
  // FILE_MISSING now, never an error event on a stream nobody may read.
  const local = await fs.promises.open(filePath, 'r').catch(() => null);
  let stream: Readable;
  let size: number;
  if (local) {
    size = (await local.stat()).size;
    stream = local.createReadStream();
  } else if (row.objectKey && deps.offsite) {
    try {
      size = (await deps.offsite.storage.stat(row.objectKey)).size;
      stream = await deps.offsite.storage.get(row.objectKey);
    } catch (error) {
      if (deps.offsite.storage.isNotFound(error))
        throw new BackupError('FILE_MISSING', `${MESSAGES.fileMissing}, and its off-site copy is gone too`);
      throw new BackupError('STORAGE', `Could not read the off-site copy: ${storageMessage(error)}`, { cause: error });
    }
  } else {
    throw new BackupError('FILE_MISSING', MESSAGES.fileMissing);
  }
  await auditDownload(deps, id, size, local ? 'local' : 'cloud', stream);
  return { filename: row.filename, size, stream };
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
