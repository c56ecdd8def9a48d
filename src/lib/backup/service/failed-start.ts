import { writeAudit } from '@/lib/audit/audit-log';
import type { TCreateBackupInput } from '../api/inputs';
import { publicMessage } from '../errors/errors';
import { WRITE_VERSION } from '../format/document';
import { newBackupFilename } from '../storage/file-names';
import type { TBackupDeps } from './deps';

/**
 * Records a backup that failed before it started writing (the schema's
 * tables could not be read or placed): a FAILED `Backup` row, so the
 * dashboard and schedules see the failure, and a `backup.created` FAILURE
 * audit row. Then throws the original error. If the failure cannot be
 * recorded either (the database is down), that is logged and the original
 * error still wins: it is the one the operator must see.
 */
export async function recordFailedStart(input: TCreateBackupInput, deps: TBackupDeps, error: unknown): Promise<never> {
  const { prisma } = deps.db;
  const message = publicMessage(error);
  try {
    const row = await prisma.backup.create({
      data: {
        filename: newBackupFilename(new Date()),
        type: input.type ?? 'MANUAL',
        status: 'FAILED',
        models: input.models ?? [],
        error: message,
        createdById: deps.audit.actorId,
        keyId: deps.keyring.current.id,
        formatVersion: WRITE_VERSION,
        durationMs: 0,
      },
    });
    await writeAudit(prisma, deps.audit, { action: 'backup.created', outcome: 'FAILURE', targetId: row.id, details: { error: message } });
  } catch (recordError) {
    deps.log?.(`A backup failed before it started (${message}), and the failure could not be recorded: ${String(recordError)}`);
  }
  throw error;
}
