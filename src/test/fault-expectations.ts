import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { acquireOperationLock } from '@/lib/backup/lock/operation-lock';
import type { TProgress } from '@/lib/backup/process/progress';
import type { TBackupDeps } from '@/lib/backup/service';

/**
 * An `onProgress` hook that runs `act` at the `occurrence`-th progress event
 * for which `when` holds, and makes the operation wait for it: how a fault
 * test picks its moment.
 */
export function at(when: (progress: TProgress) => boolean, act: (progress: TProgress) => Promise<void>, occurrence = 1) {
  let seen = 0;
  return async (progress: TProgress) => {
    if (!when(progress)) return;
    seen += 1;
    if (seen === occurrence) await act(progress);
  };
}

/** A page of rows read by a backup (or a restore's safety backup). */
export const exporting = (progress: TProgress) =>
  progress.operation === 'backup' && progress.phase === 'exporting' && progress.rowsDone > 0;

/** A batch of rows written by a restore. */
export const restoring = (progress: TProgress) =>
  progress.operation === 'restore' && progress.phase === 'restoring' && progress.rowsDone > 0;

/** A gate an operation waits at (inside `at`) until the test opens it. */
export function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  return {
    /** Called by the operation: says it is here, then waits. */
    wait: async () => {
      reached();
      await opened;
    },
    arrived,
    open: () => open(),
  };
}

/**
 * What every failed operation must leave: its row FAILED with a message
 * matching `message`, no temporary file, no backup file that lacks a
 * COMPLETED row (nothing half-written looks complete), and the lock free.
 */
export async function expectCleanFailure(deps: TBackupDeps, backupId: string | null, message: RegExp): Promise<void> {
  if (backupId) {
    const row = await deps.db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } });
    expect(row.status).toBe('FAILED');
    expect(row.error).toMatch(message);
  }
  await expectNothingHalfWritten(deps);
  await expectLockFree(deps);
}

/** The operation lock can be taken (and is given back). */
export async function expectLockFree(deps: TBackupDeps): Promise<void> {
  const lock = await acquireOperationLock(deps.db.database);
  await lock.release();
}

/**
 * No temporary file, every backup file (or snapshot manifest) in BACKUP_DIR
 * belongs to a COMPLETED row, and the chunk index claims no chunk that is
 * not stored (extra chunks are allowed: gc removes them).
 */
export async function expectNothingHalfWritten(deps: TBackupDeps): Promise<void> {
  const names = fs.readdirSync(deps.backupDir).filter((name) => name !== 'chunks');
  expect(names.filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  const chunksDir = path.join(deps.backupDir, 'chunks');
  const chunkFiles = fs.existsSync(chunksDir) ? fs.readdirSync(chunksDir, { recursive: true, encoding: 'utf8' }) : [];
  expect(chunkFiles.filter((name) => path.basename(name).startsWith('.tmp-'))).toEqual([]);
  for (const chunk of await deps.db.prisma.backupChunk.findMany({ where: { storedLocally: true }, select: { id: true } })) {
    expect(fs.existsSync(path.join(chunksDir, chunk.id.slice(0, 2), chunk.id)), `indexed chunk ${chunk.id} is stored`).toBe(true);
  }
  const completed = await deps.db.prisma.backup.findMany({ where: { status: 'COMPLETED' }, select: { filename: true } });
  const complete = new Set(completed.map((row) => row.filename));
  expect(names.filter((name) => !complete.has(name))).toEqual([]);
}
