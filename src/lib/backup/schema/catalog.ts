import { ident, type TSql } from '../sql/sql';

/** Where a table lives: its PostgreSQL schema (namespace) and name. */
export interface TTableName {
  schema: string;
  table: string;
}

/** A table as PostgreSQL's catalogue describes it. */
export interface TCatalogTable extends TTableName {
  columns: { name: string; sqlType: string; nullable: boolean; serial: boolean }[];
  /** Empty when the table has no primary key (a Prisma model keyed by `@unique`/`@@unique` only). */
  primaryKey: string[];
  /** Unique indexes on plain columns (not partial, no expressions), fewest columns first. */
  uniqueKeys: string[][];
  foreignKeys: { columns: string[]; referenced: TTableName; referencedColumns: string[] }[];
}

/** The catalogue of the namespaces read: tables by `tableKey`, and the namespace unqualified names resolve to. */
export interface TCatalog {
  currentSchema: string;
  tables: Map<string, TCatalogTable>;
}

/** The map key of a table: unambiguous for any characters in its names. */
export function tableKey(name: TTableName): string {
  return JSON.stringify([name.schema, name.table]);
}

/** The table's name quoted for SQL, always schema-qualified. */
export function qualifiedName(name: TTableName): string {
  return `${ident(name.schema)}.${ident(name.table)}`;
}

/** How a table is named to people: unqualified in the current schema, `schema.table` elsewhere. */
export function displayName(name: TTableName, currentSchema: string): string {
  return name.schema === currentSchema ? name.table : `${name.schema}.${name.table}`;
}

interface TColumnRow {
  schema: string;
  table: string;
  column: string;
  sql_type: string;
  not_null: boolean;
  serial: boolean;
}

interface TKeyRow {
  schema: string;
  table: string;
  kind: 'p' | 'f' | 'u';
  columns: string;
  referenced_schema: string | null;
  referenced_table: string | null;
  referenced_columns: string | null;
}

/**
 * Reads tables, column types, primary keys, unique indexes and foreign keys
 * of the current schema and of `namespaces` (the PostgreSQL schemas a Prisma
 * schema with `schemas = [...]` uses) from pg_catalog. Column types come out
 * as SQL type names (`numeric(12,2)`, `"Role"[]`) usable in casts, which is
 * what makes the text-based export and import exact for every type. Column
 * lists travel as JSON arrays, so any character in a name survives.
 */
export async function readCatalog(sql: TSql, namespaces: string[] = []): Promise<TCatalog> {
  const [current] = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
  const currentSchema = current?.schema ?? 'public';
  const scanned = JSON.stringify([...new Set([currentSchema, ...namespaces])]);
  const inScanned = `n.nspname IN (SELECT json_array_elements_text($1::json))`;
  const columns = await sql.query<TColumnRow>(
    `SELECT n.nspname AS "schema", c.relname AS "table", a.attname AS "column",
           format_type(a.atttypid, a.atttypmod) AS sql_type,
           a.attnotnull AS not_null,
           (pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL) AS serial
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE ${inScanned} AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY n.nspname, c.relname, a.attnum`,
    scanned,
  );
  const keys = await sql.query<TKeyRow>(
    `SELECT n.nspname AS "schema", c.relname AS "table", k.contype::text AS kind,
           (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum)::text AS columns,
           rn.nspname AS referenced_schema, r.relname AS referenced_table,
           (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum)::text AS referenced_columns
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class r ON r.oid = k.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
    WHERE ${inScanned} AND k.contype IN ('p', 'f')
    UNION ALL
    SELECT n.nspname, c.relname, 'u',
           (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.attnum)::text,
           NULL, NULL, NULL
    FROM pg_index x
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${inScanned} AND x.indisunique AND NOT x.indisprimary AND x.indpred IS NULL AND x.indexprs IS NULL
      AND 0 <> ALL (x.indkey::int2[])
    ORDER BY 1, 2, 3, 4`,
    scanned,
  );

  const tables = new Map<string, TCatalogTable>();
  for (const row of columns) {
    const key = tableKey(row);
    let table = tables.get(key);
    if (!table) {
      table = { schema: row.schema, table: row.table, columns: [], primaryKey: [], uniqueKeys: [], foreignKeys: [] };
      tables.set(key, table);
    }
    table.columns.push({ name: row.column, sqlType: row.sql_type, nullable: !row.not_null, serial: row.serial });
  }
  for (const row of keys) {
    const table = tables.get(tableKey(row));
    if (!table) continue;
    const names = JSON.parse(row.columns) as string[];
    if (row.kind === 'p') table.primaryKey = names;
    else if (row.kind === 'u') table.uniqueKeys.push(names);
    else if (row.referenced_schema !== null && row.referenced_table !== null) {
      table.foreignKeys.push({
        columns: names,
        referenced: { schema: row.referenced_schema, table: row.referenced_table },
        referencedColumns: JSON.parse(row.referenced_columns ?? '[]') as string[],
      });
    }
  }
  for (const table of tables.values()) table.uniqueKeys.sort((a, b) => a.length - b.length);
  return { currentSchema, tables };
}
