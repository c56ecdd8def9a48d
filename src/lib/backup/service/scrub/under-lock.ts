import { setTimeout as sleep } from 'node:timers/promises';
import { BackupError, publicMessage } from '../../errors/errors';
import type { TOperationLock } from '../../lock/operation-lock';
import type { TBackupDeps } from '../deps';
import { exclusive } from '../exclusive';

/** How long a scrub waits for a running backup, restore or delete before it gives up on confirming or repairing a copy. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;
const POLL_MS = 2_000;

/**
 * What happened to work done under the lock: done; not done because the
 * backup is no longer COMPLETED (deleted or pruned while the scrub read
 * it, so what looked missing was the delete's doing); or failed.
 */
export type TLockedOutcome = { kind: 'done' } | { kind: 'gone' } | { kind: 'failed'; problem: string };

/**
 * Runs `work` under the operation lock, once the backup's row is read
 * again and still COMPLETED. Delete and prune remove a backup's files
 * before they mark its row, both under the lock: so a scrub that found a
 * copy missing proves it under the lock, and never rewrites a copy that a
 * delete is removing. A busy lock (a backup running) is waited for, up to
 * `waitMs`; the scrub's reads themselves need no lock.
 */
export async function underLock(
  deps: TBackupDeps,
  backupId: string,
  waitMs: number,
  work: (lock: TOperationLock) => Promise<void>,
): Promise<TLockedOutcome> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      return await exclusive(deps, async (lock) => {
        const row = await deps.db.prisma.backup.findUnique({ where: { id: backupId }, select: { status: true } });
        if (row?.status !== 'COMPLETED') return { kind: 'gone' } as const;
        await work(lock);
        return { kind: 'done' } as const;
      });
    } catch (error) {
      if (error instanceof BackupError && error.code === 'BUSY' && Date.now() < giveUpAt) {
        await sleep(POLL_MS);
        continue;
      }
      return { kind: 'failed', problem: publicMessage(error) };
    }
  }
}
