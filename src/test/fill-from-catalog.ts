import { qualifiedName, readCatalog, type TCatalogTable, tableKey } from '@/lib/backup/schema/catalog';
import { ident, type TSql } from '@/lib/backup/sql/sql';

export interface TFillOptions {
  /** PostgreSQL schemas to fill besides the current one. */
  namespaces?: string[];
  /** Rows per table. */
  rows?: number;
  /** Tables left alone (by name), e.g. the backup module's own history. */
  skip?: string[];
}

type TForeignKey = TCatalogTable['foreignKeys'][number];

/**
 * Fills every table of a database with rows made up from its catalogue alone,
 * so a test can put any schema through the backup engine with no per-schema
 * code: values for every column type (quoting-hostile text, enums and enum
 * lists, Decimal at its scale, Bytes, JSON null next to SQL NULL, ...),
 * unique where a key demands it; foreign keys (composite ones too) pointing
 * at existing rows. Tables go in foreign-key order; nullable references
 * (optional self-relations, the open side of a cycle) are set afterwards so
 * they point at real rows too, and a required self-relation points at its
 * own row. Deterministic: the same schema gets the same rows.
 */
export async function fillFromCatalog(sql: TSql, options: TFillOptions = {}): Promise<void> {
  const rows = options.rows ?? 6;
  const catalog = await readCatalog(sql, options.namespaces);
  const skip = new Set(['_prisma_migrations', ...(options.skip ?? [])]);
  const tables = [...catalog.tables.values()].filter((table) => !skip.has(table.table));
  const enums = await enumLabels(sql);
  const deferred: { table: TCatalogTable; fk: TForeignKey }[] = [];

  for (const table of insertOrder(tables)) {
    const own = tableKey(table);
    const nullable = (fk: TForeignKey) => fk.columns.every((c) => table.columns.find((col) => col.name === c)?.nullable);
    const later = table.foreignKeys.filter((fk) => nullable(fk));
    deferred.push(...later.map((fk) => ({ table, fk })));
    const now = table.foreignKeys.filter((fk) => !nullable(fk)).sort((a, b) => b.columns.length - a.columns.length);
    for (let i = 0; i < rows; i++) {
      const values = new Map<string, string | null>();
      for (const column of table.columns) values.set(column.name, valueFor(column, i, enums));
      for (const fk of table.foreignKeys) for (const column of fk.columns) values.set(column, null);
      for (const [k, fk] of now.entries()) {
        // A required self-reference: the first row points at itself (its values are already made up), later ones at earlier rows.
        if (tableKey(fk.referenced) === own && i === 0) {
          fk.columns.forEach((column, c) => {
            values.set(column, values.get(fk.referencedColumns[c] as string) ?? null);
          });
          continue;
        }
        const tuple = await pickReferenced(sql, fk, values, tableKey(fk.referenced) === own ? i - 1 : i + k);
        if (!tuple) throw new Error(`fillFromCatalog: no row of ${fk.referenced.table} to reference from ${table.table}`);
        fk.columns.forEach((column, c) => {
          values.set(column, tuple[c] ?? null);
        });
      }
      const columns = table.columns.map((column) => column.name);
      await sql.execute(
        `INSERT INTO ${qualifiedName(table)} (${columns.map(ident).join(', ')}) VALUES (${table.columns
          .map((column, c) => `$${c + 1}::text::${column.sqlType}`)
          .join(', ')})`,
        ...columns.map((name) => values.get(name) ?? null),
      );
    }
    for (const column of table.columns.filter((c) => c.serial)) {
      await sql.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max(${ident(column.name)}) FROM ${qualifiedName(table)}))`,
        qualifiedName(table),
        column.name,
      );
    }
  }

  // Nullable references last, when every row they can point at exists; every third row keeps NULL.
  for (const { table, fk } of deferred) {
    const targets = await sql.rows(`SELECT ctid::text FROM ${qualifiedName(table)} t ORDER BY t::text`);
    for (const [i, [ctid]] of targets.entries()) {
      if (i % 3 === 2) continue;
      const tuple = await pickReferenced(sql, fk, new Map(), i + 1);
      if (!tuple) continue;
      await sql.execute(
        `UPDATE ${qualifiedName(table)} SET ${fk.columns.map((column, c) => `${ident(column)} = $${c + 2}::text::${typeOf(table, column)}`).join(', ')} WHERE ctid = $1::text::tid`,
        ctid ?? '',
        ...tuple,
      );
    }
  }
}

/** Tables after the tables their required foreign keys point at (self-references aside). */
function insertOrder(tables: TCatalogTable[]): TCatalogTable[] {
  const ordered: TCatalogTable[] = [];
  const done = new Set<string>();
  const remaining = [...tables];
  const known = new Set(tables.map(tableKey));
  while (remaining.length > 0) {
    const index = remaining.findIndex((table) =>
      table.foreignKeys.every((fk) => {
        const target = tableKey(fk.referenced);
        const required = fk.columns.some((c) => !table.columns.find((col) => col.name === c)?.nullable);
        return !required || target === tableKey(table) || done.has(target) || !known.has(target);
      }),
    );
    if (index === -1)
      throw new Error(`fillFromCatalog: required foreign keys form a cycle among ${remaining.map((t) => t.table).join(', ')}`);
    const [table] = remaining.splice(index, 1) as [TCatalogTable];
    ordered.push(table);
    done.add(tableKey(table));
  }
  return ordered;
}

/** The n-th row (cyclically) of the referenced table that agrees with the columns already chosen. */
async function pickReferenced(sql: TSql, fk: TForeignKey, chosen: Map<string, string | null>, n: number) {
  // Columns shared with a foreign key handled earlier (a composite key overlapping another) keep their value.
  const fixed = fk.columns.flatMap((column, c) => {
    const value = chosen.get(column);
    return typeof value === 'string' ? [{ referencedColumn: fk.referencedColumns[c] as string, value }] : [];
  });
  const where = fixed.map((f, k) => `${ident(f.referencedColumn)}::text = $${k + 1}::text`).join(' AND ');
  const referenced = await sql.rows(
    `SELECT ${fk.referencedColumns.map((column) => `${ident(column)}::text`).join(', ')} FROM ${qualifiedName(fk.referenced)}
     ${where ? `WHERE ${where}` : ''} ORDER BY ${fk.referencedColumns.map((_, c) => c + 1).join(', ')}`,
    ...fixed.map((f) => f.value),
  );
  return referenced.length ? (referenced[n % referenced.length] as (string | null)[]) : null;
}

async function enumLabels(sql: TSql): Promise<Map<string, string[]>> {
  const rows = await sql.query<{ type: string; labels: string }>(
    `SELECT format_type(t.oid, NULL) AS type, json_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.oid`,
  );
  return new Map(rows.map((row) => [row.type, JSON.parse(row.labels) as string[]]));
}

const AWKWARD = [`O'Brien "quoted" \\ back\\slash`, 'Niño 😀 学习', 'line 1\nline 2\ttab', ' padded ', ',{}', 'plain'];

function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** PostgreSQL's text of a made-up value of `column` for row `i`; unique per row wherever that matters. */
function valueFor(column: TCatalogTable['columns'][number], i: number, enums: Map<string, string[]>): string | null {
  if (column.nullable && i % 3 === 1) return null;
  const type = column.sqlType;
  if (type.endsWith('[]')) {
    const element = type.slice(0, -2);
    const labels = enums.get(element);
    if (labels) return arrayLiteral(labels.filter((_, k) => (k + i) % 2 === 0));
    return arrayLiteral([AWKWARD[i % AWKWARD.length] as string, `item ${i}`]);
  }
  const labels = enums.get(type);
  if (labels) return labels[i % labels.length] as string;
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (numeric) {
    const scale = Number(numeric[2]);
    return scale > 0 ? `${1000 + i}.${'9876543210'.repeat(4).slice(0, scale)}` : String(1000 + i);
  }
  if (['integer', 'smallint', 'bigint'].includes(type)) return String(i + 1);
  if (type === 'text' || type.startsWith('character')) return `${AWKWARD[i % AWKWARD.length]} #${i}`;
  if (type === 'boolean') return i % 2 === 0 ? 'true' : 'false';
  if (type === 'double precision' || type === 'real')
    return ['-0', '1.5e-7', 'NaN', 'Infinity', '3.141592653589793', '-Infinity'][i % 6] as string;
  if (type.startsWith('timestamp')) return `2026-0${(i % 9) + 1}-1${i % 10}T12:34:56.${String(100 + i).slice(-3)}Z`;
  if (type === 'date') return `2026-01-${String((i % 28) + 1).padStart(2, '0')}`;
  if (type === 'uuid') return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  if (type === 'jsonb' || type === 'json') return i % 2 === 0 ? `{"n":${i},"list":[1,null,"x"],"s":"${i} \\"q\\""}` : 'null';
  if (type === 'bytea') return `\\x${Buffer.from(Array.from({ length: 16 }, (_, k) => (k * 37 + i) % 256)).toString('hex')}`;
  throw new Error(`fillFromCatalog: no value generator for column type ${type}`);
}

function typeOf(table: TCatalogTable, column: string): string {
  return table.columns.find((c) => c.name === column)?.sqlType ?? 'text';
}
