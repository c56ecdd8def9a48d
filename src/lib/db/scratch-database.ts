import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database on a PostgreSQL server, for tests and benchmarks. */
export interface TScratchDatabase {
  name: string;
  /** Connection URL of the scratch database (the server URL with its name). */
  url: string;
  /** Drops it, disconnecting whoever is still on it. */
  drop(): Promise<void>;
}

/** Runs `use` with a short-lived connection to `url`. */
export async function withPgClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `<prefix>_<random>` on the server `serverUrl` points at (any
 * database on it, e.g. `/postgres`). The name is generated here (letters,
 * digits, underscores), so it is safe in the statements.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<TScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  url.search = '';
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
