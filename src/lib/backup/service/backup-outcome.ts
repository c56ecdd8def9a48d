// How a backup ends: its row marked COMPLETED, or everything it left undone
// and its row marked FAILED. The row decides what its files are: a file is
// removed only once no COMPLETED row can point at it.

import fs from 'node:fs';
import type { Prisma } from '@/generated/prisma/client';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { isConnectionLost, retryOnLostConnection } from '../errors/connection-errors';
import { BackupError, isNoSpaceError, MESSAGES, publicMessage, sentenceCase, sentences } from '../errors/errors';
import { lockLostError, type TOperationLock } from '../lock/operation-lock';
import type { BackupStorage } from '../storage';
import type { TBackupDeps } from './deps';

/** The error a failed backup reports: the cause an administrator can act on, in one sentence. */
export function backupFailure(error: unknown, lock: TOperationLock): unknown {
  if (error instanceof BackupError && error.code !== 'INTERNAL') return error;
  if (isNoSpaceError(error)) return new BackupError('NO_SPACE', MESSAGES.noSpace, { cause: error });
  if (isConnectionLost(error))
    return new BackupError(
      'DATABASE_UNAVAILABLE',
      sentences(`${sentenceCase(MESSAGES.connectionLost)}, so no backup was made`, MESSAGES.retryWhenReachable),
      { cause: error },
    );
  // A lost lock lets another operation's clean-up remove this one's files: that, not the missing file, is the cause.
  if (lock.lost) return lockLostError('finishing the backup', 'its database session ended');
  return error;
}

/**
 * Marks a backup COMPLETED only if it is still this operation's RUNNING
 * backup: a clean-up that took the row over (after this operation lost its
 * lock) may already have removed its file, and a COMPLETED row must never
 * point at a missing file. If the connection dies with the answer, the row
 * says whether the update was applied.
 */
export async function markCompleted(deps: TBackupDeps, id: string, owner: string, data: Prisma.BackupUpdateManyMutationInput) {
  const { prisma } = deps.db;
  let completed: Awaited<ReturnType<typeof prisma.backup.updateManyAndReturn>>;
  try {
    completed = await prisma.backup.updateManyAndReturn({
      where: { id, status: 'RUNNING', owner },
      data: { ...data, status: 'COMPLETED' },
    });
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    // Only a row read back as COMPLETED changes the answer; if it cannot be read, the lost connection is the error to report.
    const row = await retryOnLostConnection(() => prisma.backup.findUnique({ where: { id } })).catch(() => null);
    if (row?.status === 'COMPLETED' && row.owner === owner) return row;
    throw error;
  }
  const [row] = completed;
  if (!row) throw lockLostError('recording the backup as completed', 'another process cleaned this backup up as interrupted');
  return row;
}

/** A failed backup and how to undo what it wrote. */
export interface TFailedBackup {
  id: string;
  started: number;
  /** Removes what no row can point at (a temporary file); runs first, whatever the row says. */
  removeTemporary: () => Promise<void>;
  /** Removes what the backup wrote under its final names (file, off-site copy, manifest); runs only once the row is FAILED. Logs its own failures. */
  removeOutputs: () => Promise<void>;
}

/**
 * Undoes what a failed backup left, then audits the failure: its temporary
 * file at once, its row marked FAILED, and only then its renamed file and
 * off-site object. Each step is tried whatever happened to the one before,
 * and a step that fails is logged: the caller reports `failure`, never a
 * clean-up's error. When the row cannot be marked (the database is
 * unreachable), the file stays for the next start-up's clean-up, which
 * decides from the row.
 */
export async function cleanUpFailedBackup(deps: TBackupDeps, backup: TFailedBackup, error: unknown, failure: unknown): Promise<void> {
  const log = (message: string) => deps.log?.(message);
  await backup.removeTemporary();
  const status = await markFailed(deps, backup, publicMessage(failure));
  if (status === 'FAILED') await backup.removeOutputs();
  else log(`Backup ${backup.id} is ${status}: its file is kept for whoever decides from its row`);
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    {
      action: 'backup.created',
      outcome: 'FAILURE',
      targetId: backup.id,
      details: { error: publicMessage(failure) },
    },
    log,
    retryOnLostConnection,
  );
  log(`Backup ${backup.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
}

/** RUNNING → FAILED if still RUNNING; returns what the row says now, or 'unknown' when it cannot be read. */
async function markFailed(deps: TBackupDeps, backup: { id: string; started: number }, message: string) {
  const { prisma } = deps.db;
  try {
    const { count } = await retryOnLostConnection(() =>
      prisma.backup.updateMany({
        where: { id: backup.id, status: 'RUNNING' },
        data: { status: 'FAILED', error: message, durationMs: Date.now() - backup.started },
      }),
    );
    if (count === 1) return 'FAILED';
    // Already taken over (marked FAILED by another process's clean-up), or COMPLETED after all.
    const row = await retryOnLostConnection(() => prisma.backup.findUniqueOrThrow({ where: { id: backup.id } }));
    return row.status === 'COMPLETED' ? 'COMPLETED' : 'FAILED';
  } catch (cause) {
    deps.log?.(`Backup ${backup.id} could not be marked FAILED (the next start-up will): ${String(cause)}`);
    return 'unknown';
  }
}

/** Removes an object a failed backup stored; a failure is logged (the object is left over, never referenced by a COMPLETED row). */
export async function removeStoredObject(deps: TBackupDeps, storage: BackupStorage, key: string, what: string): Promise<void> {
  await storage.delete(key).then(
    () => undefined,
    (error: unknown) => deps.log?.(`Could not remove ${what} (${storage.describe(key)}): ${String(error)}`),
  );
}

/** Removes a scratch file a backup wrote (its temporary file); a failure is logged (the start-up clean-up removes temporary files again). */
export async function removeBackupFile(deps: TBackupDeps, filePath: string, what: string): Promise<void> {
  await fs.promises.rm(filePath, { force: true }).catch((error: unknown) => deps.log?.(`Could not remove ${what}: ${String(error)}`));
}
