import fs from 'node:fs';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError } from '../errors';
import { backupPath, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';

export interface TDeleteResult {
  id: string;
  fileExisted: boolean;
}

/**
 * Removes a backup's file and marks its row DELETED (the row stays, for the
 * history). The audit row is written first: no audit, no delete.
 */
export async function deleteBackupLocked(id: string, deps: TBackupDeps): Promise<TDeleteResult> {
  const row = await findBackupRow(deps, id);
  if (row.status === 'RUNNING') throw new BackupError('BUSY', 'This backup is still being written; it can be deleted when it has finished');
  await writeAudit(deps.db.prisma, deps.audit, { action: 'backup.delete.started', outcome: 'SUCCESS', targetId: id });
  const filePath = backupPath(deps, row.filename);
  const fileExisted = fs.existsSync(filePath);
  await fs.promises.rm(filePath, { force: true });
  await deps.db.prisma.backup.update({ where: { id }, data: { status: 'DELETED' } });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.deleted',
    outcome: 'SUCCESS',
    targetId: id,
    details: { fileExisted },
  }).catch(() => {});
  return { id, fileExisted };
}
