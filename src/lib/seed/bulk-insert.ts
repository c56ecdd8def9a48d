import { Prisma } from '@/generated/prisma/client';

/**
 * Bulk inserts: one statement per chunk of rows, each column sent as one
 * text array and unnested server-side:
 *
 *   INSERT INTO "T" ("a", "b") SELECT u.c0, u.c1::date FROM unnest($1::text[], $2::text[]) AS u(c0, c1)
 *
 * Measured on 100k attendance rows this is as fast as any alternative on both
 * engines (PGlite ~40k rows/s, PostgreSQL ~55k rows/s), 1.5x faster than
 * multi-row VALUES and 7x faster than `createMany`. Text arrays because both
 * driver adapters pass them reliably, where PGlite rejects enum arrays; the
 * casts to the column types happen in SQL.
 */

/**
 * The PostgreSQL type a column is cast to. Lists end in `[]`; enums are their
 * quoted type name, e.g. `"Role"[]`.
 */
export type TColumnType =
  | 'text'
  | 'int'
  | 'bigint'
  | 'float8'
  | 'numeric'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'jsonb'
  | 'bytea'
  | 'text[]'
  | `"${string}"`
  | `"${string}"[]`;

// List columns accept `{ set: [...] }` in Prisma inputs; rows here always give plain arrays.
// (Every list column of the schema holds strings or enums; a JSON array is not a list column.)
type TColumnValue<T> = [Extract<T, readonly string[]>] extends [never] ? Exclude<T, undefined> : Extract<T, readonly string[]>;

/** A table the seed writes, with the columns it fills and their types. */
export interface TTable<TRow> {
  name: Prisma.ModelName;
  columns: Readonly<Record<keyof TRow & string, TColumnType>>;
}

/**
 * Declares a table from its Prisma `CreateManyInput` type: column names are
 * checked against the schema and the row type follows from the columns given,
 * every one of them required (defaults such as `now()` would make the seed
 * differ from run to run).
 */
export function defineTable<TInput>() {
  return <const TColumns extends { [K in keyof TInput]?: TColumnType }>(
    name: Prisma.ModelName,
    columns: TColumns,
  ): TTable<{ [K in keyof TColumns & keyof TInput]-?: TColumnValue<TInput[K]> }> => ({
    name,
    columns: columns as unknown as Record<keyof TColumns & keyof TInput & string, TColumnType>,
  });
}

/** What the seed needs of a Prisma client or transaction. */
export type TSqlRunner = Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/** Rows per statement: large enough to amortise a round trip, small enough to bound memory. */
export const CHUNK_ROWS = 5000;

function encode(value: unknown, type: TColumnType): string | null {
  if (type === 'jsonb') {
    // Prisma's markers: JsonNull is the JSON value `null`, DbNull is SQL NULL.
    if (value === Prisma.JsonNull) return 'null';
    if (value === null || value === undefined || value === Prisma.DbNull) return null;
    return JSON.stringify(value);
  }
  if (value === null || value === undefined) return null;
  if (type.endsWith('[]')) return JSON.stringify(value);
  if (type === 'bytea') return Buffer.from(value as Uint8Array).toString('hex');
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  return String(value);
}

function selectExpression(column: string, type: TColumnType): string {
  if (type === 'text') return column;
  if (type === 'bytea') return `decode(${column}, 'hex')`;
  // Lists travel as JSON arrays: a text[] of text[] would be flattened by unnest.
  if (type.endsWith('[]')) return `array(SELECT jsonb_array_elements_text(${column}::jsonb))::${type}`;
  // A timestamp column ignores the "Z" of an ISO string, which keeps the UTC wall-clock time Prisma expects.
  return `${column}::${type}`;
}

function insertSql(table: TTable<unknown>, returning: readonly string[]): string {
  const entries = Object.entries(table.columns) as [string, TColumnType][];
  const names = entries.map(([name]) => `"${name}"`).join(', ');
  const expressions = entries.map(([, type], i) => selectExpression(`u.c${i}`, type)).join(', ');
  const parameters = entries.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = entries.map((_, i) => `c${i}`).join(', ');
  const returningClause = returning.length ? ` RETURNING ${returning.map((name) => `"${name}"`).join(', ')}` : '';
  return `INSERT INTO "${table.name}" (${names}) SELECT ${expressions} FROM unnest(${parameters}) AS u(${aliases})${returningClause}`;
}

function columnArrays<TRow>(table: TTable<TRow>, rows: readonly TRow[]): (string | null)[][] {
  const entries = Object.entries(table.columns) as [keyof TRow & string, TColumnType][];
  return entries.map(([name, type]) => rows.map((row) => encode(row[name], type)));
}

function* chunked<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/**
 * Inserts rows in chunks and returns how many were written. `rows` may be a
 * generator, so large tables are never held in memory whole.
 */
export async function insertRows<TRow>(db: TSqlRunner, table: TTable<TRow>, rows: Iterable<TRow>): Promise<number> {
  const sql = insertSql(table as TTable<unknown>, []);
  let written = 0;
  for (const chunk of chunked(rows, CHUNK_ROWS)) written += await db.$executeRawUnsafe(sql, ...columnArrays(table, chunk));
  return written;
}

/**
 * Inserts rows and returns the named columns of every inserted row: how the
 * seed learns database-assigned autoincrement ids of small parent tables.
 */
export async function insertRowsReturning<TRow, const TKey extends string>(
  db: TSqlRunner,
  table: TTable<TRow>,
  rows: readonly TRow[],
  returning: readonly TKey[],
): Promise<Record<TKey, unknown>[]> {
  const sql = insertSql(table as TTable<unknown>, returning);
  const inserted: Record<TKey, unknown>[] = [];
  for (const chunk of chunked(rows, CHUNK_ROWS))
    inserted.push(...(await db.$queryRawUnsafe<Record<TKey, unknown>[]>(sql, ...columnArrays(table, chunk))));
  return inserted;
}
