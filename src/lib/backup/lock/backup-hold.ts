import type { TOpenedDatabase } from '@/lib/db/adapter';
import { BackupError } from '../errors/errors';
import { SESSION_SETTINGS } from './session-lock';

/**
 * A hold on one backup, so that what reads it and what removes or restores
 * it never overlap (README, "Restore drills"): a drill holds its backup
 * **shared**; a delete, a prune of it and a restore of it hold it
 * **exclusively**. Taken with a try (BUSY when the other side holds it),
 * never waited for. Other backups, and backups being written, are not
 * affected: a drill runs beside a backup.
 *
 * Within a process a table of holds suffices (the embedded database is open
 * in one process only); across processes sharing a PostgreSQL server, a
 * session-level advisory lock on the pair (HOLD_CLASS, hashtext(id)) on a
 * connection of its own, which the server releases if the process dies. A
 * hash collision only makes two backups exclude each other.
 */
export interface TBackupHold {
  /** Why the hold is known to be lost (its session ended), or null. */
  readonly lostReason: string | null;
  release(): Promise<void>;
}

/** Keeps these advisory locks apart from the operation lock (a bigint key) and other applications' pairs. */
const HOLD_CLASS = 7_202_612;

type TMode = 'shared' | 'exclusive';

const holdsInProcess = new WeakMap<TOpenedDatabase, Map<string, { shared: number; exclusive: boolean }>>();

function busy(backupId: string, mode: TMode): BackupError {
  return new BackupError(
    'BUSY',
    mode === 'shared'
      ? `Backup ${backupId} is being restored or deleted; try the drill again when that has finished`
      : `A restore drill is reading backup ${backupId}; try again when it has finished (it touches no data)`,
  );
}

/** Takes a hold on `backupId`, or throws BUSY if the other side holds it. */
export async function holdBackup(database: TOpenedDatabase, backupId: string, mode: TMode): Promise<TBackupHold> {
  const table = holdsInProcess.get(database) ?? new Map<string, { shared: number; exclusive: boolean }>();
  holdsInProcess.set(database, table);
  const entry = table.get(backupId) ?? { shared: 0, exclusive: false };
  if (entry.exclusive || (mode === 'exclusive' && entry.shared > 0)) throw busy(backupId, mode);
  if (mode === 'shared') entry.shared++;
  else entry.exclusive = true;
  table.set(backupId, entry);
  const releaseInProcess = () => {
    if (mode === 'shared') entry.shared--;
    else entry.exclusive = false;
    if (entry.shared === 0 && !entry.exclusive) table.delete(backupId);
  };
  if (!database.dedicatedClient) return { lostReason: null, release: async () => releaseInProcess() };

  const client = database.dedicatedClient('erp-backup:hold');
  let lostReason: string | null = null;
  let released = false;
  const lose = () => {
    if (!released) lostReason ??= 'its database session ended';
  };
  client.on('error', lose);
  client.on('end', lose);
  const end = async () => {
    released = true;
    releaseInProcess();
    try {
      await client.end();
    } catch {
      // Ending the session is what releases the lock; a dead connection has released it already.
    }
  };
  try {
    await client.connect();
    // As the operation lock's session: no server timeout ends it, and a vanished client is noticed.
    await client.query(SESSION_SETTINGS);
    const { rows } = await client.query<{ held: boolean }>(
      `SELECT ${mode === 'shared' ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock'}(${HOLD_CLASS}, hashtext($1)) AS held`,
      [backupId],
    );
    if (rows[0]?.held !== true) throw busy(backupId, mode);
  } catch (error) {
    await end();
    throw error;
  }
  return {
    get lostReason() {
      return lostReason;
    },
    release: end,
  };
}

/** Runs `use` while holding `backupId` (see holdBackup). */
export async function withBackupHold<T>(
  database: TOpenedDatabase,
  backupId: string,
  mode: TMode,
  use: (hold: TBackupHold) => Promise<T>,
): Promise<T> {
  const hold = await holdBackup(database, backupId, mode);
  try {
    return await use(hold);
  } finally {
    await hold.release();
  }
}
