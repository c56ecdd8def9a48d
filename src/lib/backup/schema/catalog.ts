import type { TSql } from '../sql';

/** A table as PostgreSQL's catalogue describes it. */
export interface TCatalogTable {
  table: string;
  columns: { name: string; sqlType: string; nullable: boolean; serial: boolean }[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; referencedTable: string }[];
}

interface TColumnRow {
  table: string;
  column: string;
  sql_type: string;
  not_null: boolean;
  serial: boolean;
}

interface TConstraintRow {
  table: string;
  kind: 'p' | 'f';
  columns: string;
  referenced_table: string | null;
}

/**
 * Reads tables, column types, primary and foreign keys of the current schema
 * from pg_catalog. Column types come out as SQL type names
 * (`numeric(12,2)`, `"Role"[]`) usable in casts, which is what makes the
 * text-based export and import exact for every type.
 */
export async function readCatalog(sql: TSql): Promise<Map<string, TCatalogTable>> {
  const columns = await sql.query<TColumnRow>(`
    SELECT c.relname AS "table", a.attname AS "column",
           format_type(a.atttypid, a.atttypmod) AS sql_type,
           a.attnotnull AS not_null,
           (pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL) AS serial
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);
  const constraints = await sql.query<TConstraintRow>(`
    SELECT c.relname AS "table", k.contype::text AS kind,
           (SELECT string_agg(a.attname, ',' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS columns,
           r.relname AS referenced_table
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class r ON r.oid = k.confrelid
    WHERE n.nspname = current_schema() AND k.contype IN ('p', 'f')
    ORDER BY c.relname, k.conname`);

  const tables = new Map<string, TCatalogTable>();
  for (const row of columns) {
    let table = tables.get(row.table);
    if (!table) {
      table = { table: row.table, columns: [], primaryKey: [], foreignKeys: [] };
      tables.set(row.table, table);
    }
    table.columns.push({ name: row.column, sqlType: row.sql_type, nullable: !row.not_null, serial: row.serial });
  }
  for (const row of constraints) {
    const table = tables.get(row.table);
    if (!table) continue;
    const names = row.columns.split(',');
    if (row.kind === 'p') table.primaryKey = names;
    else if (row.referenced_table) table.foreignKeys.push({ columns: names, referencedTable: row.referenced_table });
  }
  return tables;
}
