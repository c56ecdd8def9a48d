/**
 * The small SQL surface the backup engine needs, over a Prisma client, one
 * of its interactive transactions, or an engine transaction
 * (engine-transaction.ts). Keeping
 * it this narrow lets the engine run unchanged on PGlite and PostgreSQL and
 * inside or outside a transaction.
 */
export interface TSql {
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Rows as arrays of text in the order of the select list: no object per row. */
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

/** Quotes an identifier for PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for PostgreSQL (for the few statements, such as SET, that take no parameters). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
