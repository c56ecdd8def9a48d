import type { TBackupDeps } from './deps';
import { type TBackupSummary, toSummary } from './summary';

/** Backups from the `Backup` table, newest first (not from the directory, which may hold anything). */
export async function listBackups(deps: TBackupDeps, options: { includeDeleted?: boolean } = {}): Promise<TBackupSummary[]> {
  const rows = await deps.db.prisma.backup.findMany({
    where: options.includeDeleted ? {} : { status: { not: 'DELETED' } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return rows.map(toSummary);
}
