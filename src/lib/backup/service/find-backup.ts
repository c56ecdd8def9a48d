import type { Backup } from '@/generated/prisma/client';
import { BackupError } from '../errors/errors';
import type { TBackupDeps } from './deps';
import { type TBackupSummary, toSummary } from './summary';

export async function findBackupRow(deps: TBackupDeps, id: string): Promise<Backup> {
  const row = await deps.db.prisma.backup.findUnique({ where: { id } });
  if (!row) throw new BackupError('NOT_FOUND', `Backup ${id} does not exist`);
  return row;
}

/** One backup's metadata by id. */
export async function getBackupRow(id: string, deps: TBackupDeps): Promise<TBackupSummary> {
  return toSummary(await findBackupRow(deps, id));
}
