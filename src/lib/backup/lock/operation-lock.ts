import os from 'node:os';
import type { TOpenedDatabase } from '@/lib/db/adapter';
import { isConnectionLost } from '../errors/connection-errors';
import { BackupError, MESSAGES, sentences } from '../errors/errors';
import { acquireSessionLock } from './session-lock';

/**
 * The one-at-a-time lock of backups and restores, held for a whole
 * operation. Whoever holds it must be told when it is lost, so it is
 * watched, and proved held again before every irreversible step.
 */
export interface TOperationLock {
  /**
   * Who holds it, recorded on the Backup rows the operation writes, so a
   * later clean-up can tell a live operation from a dead one: the host, the
   * process id and, on PostgreSQL, the session that holds the lock
   * (`host=web-1 pid=4242 lock-session=81234@1764230400.123456`).
   */
  readonly owner: string;
  /** Whether the lock is known to be lost (its session ended). Synchronous, for every page of rows. */
  readonly lost: boolean;
  /** Throws LOCK_LOST if the lock is known to be lost; no round trip. */
  check(step: string): void;
  /**
   * Proves that the lock is still held, with a round trip on its own
   * connection, else throws LOCK_LOST. Called right before each irreversible
   * step: putting a backup file in place, recording COMPLETED, committing a
   * restore, deleting files.
   */
  assertHeld(step: string): Promise<void>;
  /**
   * Whether the operation that recorded `owner` on a row may still be
   * running: on PostgreSQL, whether its lock session still holds the lock.
   * Only the holder of the lock asks, so an answer of false is a proof.
   */
  ownerAlive(owner: string | null): Promise<boolean>;
  /** Releases the lock; never throws, never waits more than a few seconds. */
  release(): Promise<void>;
}

/** The error of an operation whose lock is gone: it stops before `step`. */
export function lockLostError(step: string, reason: string): BackupError {
  return new BackupError(
    'LOCK_LOST',
    sentences(
      `The operation lock was lost (${reason})`,
      `The operation stopped before ${step} so that it cannot overlap another backup or restore, and nothing was changed`,
      'Try again',
    ),
  );
}

const heldInThisProcess = new WeakSet<TOpenedDatabase>();

/**
 * Makes backups and restores one at a time per database. Within a process a
 * flag suffices; across processes sharing a PostgreSQL server, a
 * session-level advisory lock on a connection of its own (see
 * session-lock.ts). The embedded database is only ever open in one process,
 * so there the flag is the whole lock. Throws BUSY when taken.
 */
export async function acquireOperationLock(database: TOpenedDatabase): Promise<TOperationLock> {
  if (heldInThisProcess.has(database)) throw new BackupError('BUSY', MESSAGES.busy);
  heldInThisProcess.add(database);
  const processOwner = `host=${os.hostname()} pid=${process.pid}`;
  if (!database.dedicatedClient) {
    return {
      owner: `${processOwner} embedded`,
      lost: false,
      check: () => {},
      assertHeld: async () => {},
      // Nothing else can run an operation on this database while this process holds the flag.
      ownerAlive: async () => false,
      release: async () => void heldInThisProcess.delete(database),
    };
  }
  try {
    const session = await acquireSessionLock(database.dedicatedClient);
    if (!session) throw new BackupError('BUSY', MESSAGES.busy);
    return {
      owner: `${processOwner} lock-session=${session.id}`,
      get lost() {
        return session.lostReason !== null;
      },
      check: (step) => {
        if (session.lostReason !== null) throw lockLostError(step, session.lostReason);
      },
      assertHeld: async (step) => {
        const reason = await session.verify();
        if (reason !== null) throw lockLostError(step, reason);
      },
      ownerAlive: async (owner) => {
        const id = /lock-session=(\d+@[\d.]+)/.exec(owner ?? '')?.[1];
        return id !== undefined && (await session.isHeldBy(id));
      },
      release: async () => {
        try {
          await session.release();
        } finally {
          heldInThisProcess.delete(database);
        }
      },
    };
  } catch (error) {
    heldInThisProcess.delete(database);
    if (isConnectionLost(error))
      throw new BackupError(
        'DATABASE_UNAVAILABLE',
        sentences('Could not take the backup lock: the database cannot be reached', MESSAGES.retryWhenReachable),
        {
          cause: error,
        },
      );
    throw error;
  }
}
