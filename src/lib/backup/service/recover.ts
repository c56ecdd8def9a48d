import fs from 'node:fs';
import { backupPath, type TBackupDeps } from './deps';

/**
 * Cleans up after a process that died mid-backup: its RUNNING rows become
 * FAILED and its files (temporary or renamed but never recorded as
 * complete) are removed, so nothing half-written looks complete. Runs under
 * the operation lock, so no live backup is mistaken for a dead one.
 */
export async function recoverInterruptedBackups(deps: TBackupDeps): Promise<number> {
  const { prisma } = deps.db;
  const stale = await prisma.backup.findMany({ where: { status: 'RUNNING' } });
  for (const row of stale) {
    await fs.promises.rm(backupPath(deps, row.filename), { force: true });
    await prisma.backup.update({
      where: { id: row.id },
      data: { status: 'FAILED', error: 'Interrupted: the process stopped before the backup finished' },
    });
  }
  const entries = await fs.promises.readdir(deps.backupDir).catch(() => [] as string[]);
  for (const name of entries.filter((entry) => entry.startsWith('.tmp-backup-'))) {
    await fs.promises.rm(`${deps.backupDir}/${name}`, { force: true });
  }
  if (stale.length > 0) deps.log?.(`Marked ${stale.length} interrupted backup(s) as FAILED`);
  return stale.length;
}
