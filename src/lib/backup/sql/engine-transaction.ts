import type { Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import type { TOpenedDatabase } from '@/lib/db/adapter';
import { literal, type TSql } from './sql';

/**
 * The connection under an engine transaction, for what the engine-neutral
 * `TSql` cannot say: COPY. On PostgreSQL a client of its own (COPY streams
 * through pg-copy-streams); on PGlite the embedded database's transaction
 * (COPY goes to and from a Blob through `/dev/blob`).
 */
export type TEngineConnection = { engine: 'postgres'; client: pg.Client } | { engine: 'pglite'; transaction: PGliteTransaction };

export interface TEngineTransactionOptions {
  /** Names the session in pg_stat_activity for as long as the transaction lasts. */
  applicationName: string;
}

/**
 * Runs `use` in a transaction on a connection of its own, straight on the
 * engine's driver (no Prisma, no pool): the bulk paths of backups and
 * restores need COPY, which no driver adapter offers. Committed when `use`
 * succeeds, rolled back otherwise; the connection is always closed, also
 * when it died mid-way (the server rolls back what a closed session left
 * open). `use`'s first statement may set the transaction's isolation level.
 */
export async function withEngineTransaction<T>(
  database: TOpenedDatabase,
  options: TEngineTransactionOptions,
  use: (sql: TSql, connection: TEngineConnection) => Promise<T>,
): Promise<T> {
  if (database.embedded) {
    return database.embedded.transaction((transaction) => use(sqlOfPglite(transaction), { engine: 'pglite', transaction }));
  }
  if (!database.dedicatedClient) throw new Error('A PostgreSQL database without a dedicated client');
  const client = database.dedicatedClient(options.applicationName);
  // A connection that drops while idle emits 'error'; unheard, it would end the
  // process. The failure reaches `use` through its next query instead.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('BEGIN');
    const sql = sqlOfPgClient(client);
    let result: T;
    try {
      await sql.execute(`SET LOCAL application_name = ${literal(options.applicationName)}`);
      result = await use(sql, { engine: 'postgres', client });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        // Only a dead connection fails a ROLLBACK, and its transaction died with it: `error` is what went wrong.
      });
      throw error;
    }
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end().catch(() => {});
  }
}

function sqlOfPgClient(client: pg.Client): TSql {
  return {
    query: async <T>(sql: string, ...params: unknown[]) => (await client.query({ text: sql, values: params })).rows as T[],
    rows: async (sql: string, ...params: string[]) =>
      (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as (string | null)[][],
    execute: async (sql: string, ...params: unknown[]) => (await client.query({ text: sql, values: params })).rowCount ?? 0,
  };
}

function sqlOfPglite(transaction: PGliteTransaction): TSql {
  return {
    query: async <T>(sql: string, ...params: unknown[]) => (await transaction.query<T>(sql, params)).rows,
    rows: async (sql: string, ...params: string[]) => (await transaction.query<(string | null)[]>(sql, params, { rowMode: 'array' })).rows,
    execute: async (sql: string, ...params: unknown[]) => (await transaction.query(sql, params)).affectedRows ?? 0,
  };
}
