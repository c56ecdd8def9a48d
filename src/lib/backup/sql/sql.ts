import type { SqlMigrationAwareDriverAdapterFactory, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';

/**
 * The small SQL surface the backup engine needs, over a Prisma client, one
 * of its interactive transactions, or a driver-adapter transaction. Keeping
 * it this narrow lets the engine run unchanged on PGlite and PostgreSQL and
 * inside or outside a transaction.
 */
export interface TSql {
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Rows as arrays in the order of the select list: no object per row (the export's hot path). */
  rows(sql: string, ...params: string[]): Promise<(string | null)[][]>;
  execute(sql: string, ...params: unknown[]): Promise<number>;
}

interface TRawCapable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export function sqlOf(client: TRawCapable): TSql {
  return {
    query: <T>(sql: string, ...params: unknown[]) => client.$queryRawUnsafe<T[]>(sql, ...params),
    rows: async (sql: string, ...params: string[]) =>
      (await client.$queryRawUnsafe<Record<string, string | null>[]>(sql, ...params)).map((record) => Object.values(record)),
    execute: (sql: string, ...params: unknown[]) => client.$executeRawUnsafe(sql, ...params),
  };
}

const TEXT_ARG = { scalarType: 'string', arity: 'scalar' } as const;

/** Raw SQL straight on a driver adapter; parameters are text (the engine casts them in SQL). */
function sqlOfQueryable(queryable: SqlQueryable): TSql {
  const run = (sql: string, params: unknown[]) => ({ sql, args: params, argTypes: params.map(() => TEXT_ARG) });
  return {
    query: async <T>(sql: string, ...params: unknown[]) => {
      const result = await queryable.queryRaw(run(sql, params));
      return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])) as T);
    },
    rows: async (sql: string, ...params: string[]) => (await queryable.queryRaw(run(sql, params))).rows as (string | null)[][],
    execute: (sql: string, ...params: unknown[]) => queryable.executeRaw(run(sql, params)),
  };
}

/**
 * Runs `use` in a transaction of its own connection, straight on the driver
 * adapter Prisma uses: a long read streams arrays of text without Prisma
 * building an object per row. Committed when `use` succeeds, rolled back
 * otherwise. `applicationName` names the session in pg_stat_activity for as
 * long as the transaction lasts. Adapters differ in who sends
 * COMMIT/ROLLBACK (`usePhantomQuery` says the adapter does); this follows
 * their contract.
 */
export async function withAdapterTransaction<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  use: (sql: TSql) => Promise<T>,
  options: { applicationName?: string } = {},
): Promise<T> {
  const adapter = await factory.connect();
  try {
    const transaction = await adapter.startTransaction();
    let result: T;
    try {
      const sql = sqlOfQueryable(transaction);
      if (options.applicationName) await sql.execute(`SET LOCAL application_name = ${literal(options.applicationName)}`);
      result = await use(sql);
    } catch (error) {
      await endTransaction(transaction, 'ROLLBACK').catch(() => {
        // Only a dead connection fails a ROLLBACK, and its transaction died with it
        // (the server rolls back whatever a closed session left open): `error` is what went wrong.
      });
      throw error;
    }
    await endTransaction(transaction, 'COMMIT');
    return result;
  } finally {
    await adapter.dispose();
  }
}

/**
 * Ends a driver-adapter transaction and always hands its connection back to
 * the pool, even when the statement fails on a dead connection: the pool's
 * `end()` (in `dispose()`) waits for every connection it lent, so one kept
 * back would hang the caller for ever.
 */
async function endTransaction(transaction: Transaction, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  try {
    if (!transaction.options.usePhantomQuery) await transaction.executeRaw({ sql: statement, args: [], argTypes: [] });
  } finally {
    await (statement === 'COMMIT' ? transaction.commit() : transaction.rollback());
  }
}

/** Quotes an identifier for PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for PostgreSQL (for the few statements, such as SET, that take no parameters). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
