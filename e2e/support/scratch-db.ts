import type pg from 'pg';
import { createScratchDatabase, withPgClient } from '@/lib/db/scratch-database';

/** A throwaway PostgreSQL database for one run of the browser tests. */
export interface TScratchDb {
  name: string;
  /** Connection URL of the scratch database. */
  url: string;
  /** Runs one SQL statement on the scratch database. */
  query<TRow extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<TRow[]>;
  /** Drops the database, disconnecting whoever is still on it (the app, if it is still running). */
  drop(): Promise<void>;
}

/** Creates `erp_e2e_<random>` on the server `serverUrl` points at (any database on it, e.g. `/postgres`). */
export async function createScratchDb(serverUrl: string): Promise<TScratchDb> {
  const scratch = await createScratchDatabase(serverUrl, 'erp_e2e');
  return {
    ...scratch,
    query: (sql, params) => withPgClient(scratch.url, async (client) => (await client.query(sql, params)).rows),
  };
}
