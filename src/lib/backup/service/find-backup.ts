import type { Backup } from '@/generated/prisma/client';
import { BackupError } from '../errors';
import type { TBackupDeps } from './deps';

export async function findBackupRow(deps: TBackupDeps, id: string): Promise<Backup> {
  const row = await deps.db.prisma.backup.findUnique({ where: { id } });
  if (!row) throw new BackupError('NOT_FOUND', `Backup ${id} does not exist`);
  return row;
}
