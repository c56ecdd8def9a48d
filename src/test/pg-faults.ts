import pg from 'pg';

/** A session of the test database as pg_stat_activity shows it. */
export interface TSession {
  pid: number;
  applicationName: string;
  state: string | null;
  waitEventType: string | null;
  query: string;
}

/** Sessions of the tests' own tools carry this prefix and are never terminated. */
const OWN_PREFIX = 'erp-test:';

/**
 * Does to the sessions of a test's PostgreSQL database what a server
 * restart, a failover or an operator does, from a session of its own:
 * terminates them (`pg_terminate_backend`, waiting until they are gone), or
 * holds a table lock so that an operation waits at a known point. Sessions
 * are picked by `application_name` (the engine names its own:
 * `erp-backup:export`, `erp-backup:lock`, `erp-backup:restore`; the pool's are
 * `erp`).
 */
export interface TFaultInjector {
  /** Sessions of the database other than the injector's own tools. */
  sessions(): Promise<TSession[]>;
  /** Terminates every session named `applicationName` (or every session, `'*'`); returns how many it ended. */
  terminate(applicationName: string): Promise<number>;
  /** Polls until a session matches (at most `timeoutMs`), and returns it. */
  waitForSession(match: (session: TSession) => boolean, timeoutMs?: number): Promise<TSession>;
  /** Polls until the sessions satisfy `done` (at most `timeoutMs`). */
  waitUntil(done: (sessions: TSession[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Takes `LOCK TABLE … IN <mode> MODE` in a transaction of its own, held until `release()`. */
  holdTableLock(table: string, mode?: string): Promise<{ release(): Promise<void> }>;
  /** Runs `statement` (e.g. `SELECT … FOR UPDATE`) in a transaction of its own, whose locks are held until `release()`. */
  holdInTransaction(statement: string, params?: unknown[]): Promise<{ release(): Promise<void> }>;
  /** Runs SQL on the injector's session (ALTER DATABASE, triggers…). */
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openFaultInjector(url: string): Promise<TFaultInjector> {
  const connect = async (name: string) => {
    const client = new pg.Client({ connectionString: url, application_name: `${OWN_PREFIX}${name}` });
    client.on('error', (error) => {
      throw new Error(`The fault injector's own session (${name}) failed: ${error.message}`);
    });
    await client.connect();
    return client;
  };
  const admin = await connect('fault-injector');
  const sessions = async () =>
    (
      await admin.query<TSession>(
        `SELECT pid, application_name AS "applicationName", state, wait_event_type AS "waitEventType", query
         FROM pg_stat_activity
         WHERE datname = current_database() AND backend_type = 'client backend' AND application_name NOT LIKE '${OWN_PREFIX}%'`,
      )
    ).rows;
  const waitUntil = async (done: (sessions: TSession[]) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await sessions();
      if (done(current)) return;
      if (Date.now() > deadline) throw new Error(`The sessions did not get there within ${timeoutMs} ms: ${JSON.stringify(current)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const holdInTransaction = async (statement: string, params?: unknown[]) => {
    const holder = await connect('holder');
    // Held by an idle transaction, which a test's own idle_in_transaction_session_timeout must not end.
    await holder.query('SET idle_in_transaction_session_timeout = 0');
    await holder.query('BEGIN');
    await holder.query(statement, params);
    return {
      release: async () => {
        await holder.query('COMMIT');
        await holder.end();
      },
    };
  };
  return {
    sessions,
    terminate: async (applicationName) => {
      const { rows } = await admin.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity
         WHERE datname = current_database() AND backend_type = 'client backend'
           AND application_name NOT LIKE '${OWN_PREFIX}%' AND ($1 = '*' OR application_name = $1)`,
        [applicationName],
      );
      return rows.filter((row) => row.ended).length;
    },
    waitForSession: async (match, timeoutMs = 10_000) => {
      let found: TSession | undefined;
      await waitUntil((current) => {
        found = current.find(match);
        return found !== undefined;
      }, timeoutMs);
      return found as TSession;
    },
    waitUntil,
    holdTableLock: (table, mode = 'ACCESS EXCLUSIVE') => holdInTransaction(`LOCK TABLE "${table}" IN ${mode} MODE`),
    holdInTransaction,
    query: async (sql, params) => (await admin.query(sql, params)).rows,
    close: () => admin.end(),
  };
}

/** Resolves or rejects as `promise` does, or rejects once `ms` have passed: an operation must settle, never hang. */
export async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}
