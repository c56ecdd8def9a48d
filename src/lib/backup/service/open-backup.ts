import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError, MESSAGES } from '../errors';
import { backupPath, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';

/**
 * Opens a completed backup's encrypted file for download, recording who took
 * a copy. The file stays encrypted: a download is useless without the key.
 */
export async function openBackupForDownload(id: string, deps: TBackupDeps): Promise<{ filename: string; size: number; stream: Readable }> {
  const row = await findBackupRow(deps, id);
  if (row.status !== 'COMPLETED')
    throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}; only COMPLETED backups can be downloaded`);
  const filePath = backupPath(deps, row.filename);
  const stat = await fs.promises.stat(filePath).catch(() => null);
  if (!stat) throw new BackupError('FILE_MISSING', MESSAGES.fileMissing);
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.downloaded',
    outcome: 'SUCCESS',
    targetId: id,
    details: { sizeBytes: stat.size },
  });
  return { filename: row.filename, size: stat.size, stream: fs.createReadStream(filePath) };
}
