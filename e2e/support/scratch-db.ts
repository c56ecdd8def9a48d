import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `erp_e2e_<random>` on the server `serverUrl` points at (any database on it, e.g. `/postgres`). */
export async function createScratchDb(serverUrl: string): Promise<TScratchDb> {
  const name = `erp_e2e_${randomBytes(5).toString('hex')}`;
  // The name is ours (hex), so it is safe to put into the statement.
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: (sql, params) => onServer(url.toString(), async (client) => (await client.query(sql, params)).rows),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
