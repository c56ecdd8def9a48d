import type { SqlMigrationAwareDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';

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
 * otherwise. Adapters differ in who sends COMMIT/ROLLBACK (`usePhantomQuery`
 * says the adapter does); this follows their contract.
 */
export async function withAdapterTransaction<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  use: (sql: TSql) => Promise<T>,
): Promise<T> {
  const adapter = await factory.connect();
  try {
    const transaction = await adapter.startTransaction();
    const end = async (statement: 'COMMIT' | 'ROLLBACK') => {
      if (!transaction.options.usePhantomQuery) await transaction.executeRaw({ sql: statement, args: [], argTypes: [] });
      await (statement === 'COMMIT' ? transaction.commit() : transaction.rollback());
    };
    let result: T;
    try {
      result = await use(sqlOfQueryable(transaction));
    } catch (error) {
      await end('ROLLBACK').catch(() => {});
      throw error;
    }
    await end('COMMIT');
    return result;
  } finally {
    await adapter.dispose();
  }
}

/** Quotes an identifier for PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
