import type pg from 'pg';

/**
 * Arbitrary, fixed advisory-lock key shared by every instance of the ERP.
 * Earlier versions took the same key per transaction; session and
 * transaction advisory locks on one key exclude each other, so old and new
 * instances still take turns during an upgrade.
 */
const ADVISORY_LOCK_KEY = 7_202_611;

/** The lock as pg_locks (aliased `l`) shows it: a bigint key is split into classid (high half) and objid (low half), objsubid 1. */
const HELD = `l.locktype = 'advisory' AND l.classid = 0 AND l.objid = ${ADVISORY_LOCK_KEY} AND l.objsubid = 1 AND l.granted`;

/**
 * Settings of the lock's session. No server-wide timeout may end it (a
 * production server often sets idle_in_transaction_session_timeout or
 * idle_session_timeout), and TCP keep-alive makes the server notice within
 * about 25 s a client that vanished without closing its connection, so a
 * dead holder does not keep the lock for hours. Settings the server does not
 * know (idle_session_timeout before PostgreSQL 14) are skipped.
 */
export const SESSION_SETTINGS = `SELECT set_config(name, setting, false) FROM (VALUES
  ('statement_timeout', '0'), ('lock_timeout', '0'), ('idle_in_transaction_session_timeout', '0'), ('idle_session_timeout', '0'),
  ('tcp_keepalives_idle', '10'), ('tcp_keepalives_interval', '5'), ('tcp_keepalives_count', '3')
) AS wanted(name, setting) WHERE name IN (SELECT name FROM pg_settings)`;

const VERIFY_TIMEOUT_MS = 10_000;
const RELEASE_WAIT_MS = 5_000;
const SESSION_ENDED = 'its database session ended: the server restarted, failed over or terminated it';

/** A session-level advisory lock held on a PostgreSQL connection of its own, and watched. */
export interface TSessionLock {
  /** The holding session: `<backend pid>@<backend start, epoch seconds>`, unique on the server. */
  id: string;
  /** Why the lock is known to be lost, or null. */
  readonly lostReason: string | null;
  /** A round trip that proves the lock held; returns why it is lost, or null. */
  verify(): Promise<string | null>;
  /** Whether the session `id` (as recorded by its holder) holds the lock now. */
  isHeldBy(id: string): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the lock with `pg_try_advisory_lock` on a dedicated connection that
 * is never inside a transaction, so neither a transaction timeout nor a
 * pool can end it. The connection's `error` and `end` events mark the lock
 * lost at once. Returns null when another session holds it.
 */
export async function acquireSessionLock(newClient: (applicationName: string) => pg.Client): Promise<TSessionLock | null> {
  const client = newClient('erp-backup:lock');
  let lostReason: string | null = null;
  let released = false;
  const lose = (reason: string) => {
    if (!released) lostReason ??= reason;
  };
  // Also what keeps a dropped connection from crashing the process with an unhandled 'error'.
  client.on('error', () => lose(SESSION_ENDED));
  client.on('end', () => lose(SESSION_ENDED));
  const release = async () => {
    released = true;
    // A graceful end waits for the server's goodbye, which a vanished server never sends.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.end(), new Promise((resolve) => (timer = setTimeout(resolve, RELEASE_WAIT_MS)))]);
    clearTimeout(timer);
  };
  try {
    await client.connect();
    await client.query(SESSION_SETTINGS);
    const { rows } = await client.query<{ locked: boolean; id: string }>(
      `SELECT pg_try_advisory_lock(${ADVISORY_LOCK_KEY}) AS locked,
              pg_backend_pid() || '@' || (SELECT extract(epoch FROM backend_start) FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS id`,
    );
    const [row] = rows;
    if (row?.locked !== true) {
      await release();
      return null;
    }
    return {
      id: row.id,
      get lostReason() {
        return lostReason;
      },
      verify: async () => {
        if (lostReason !== null) return lostReason;
        let timer: NodeJS.Timeout | undefined;
        const unanswered = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), VERIFY_TIMEOUT_MS)));
        try {
          const answer = await Promise.race([
            client.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE ${HELD} AND l.pid = pg_backend_pid()) AS held`),
            unanswered,
          ]);
          if (answer === 'timeout') lose(`its database connection did not answer within ${VERIFY_TIMEOUT_MS / 1000} s`);
          else if (answer.rows[0]?.held !== true) lose('the database no longer shows it held');
        } catch {
          lose(SESSION_ENDED);
        } finally {
          clearTimeout(timer);
        }
        return lostReason;
      },
      isHeldBy: async (id) => {
        const [pid, started] = id.split('@');
        const result = await client.query<{ held: boolean }>(
          `SELECT EXISTS (
             SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE ${HELD}
               AND a.pid = $1::int AND extract(epoch FROM a.backend_start)::text = $2
           ) AS held`,
          [pid, started],
        );
        return result.rows[0]?.held === true;
      },
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}
