import { BackupError, sentences } from '../errors/errors';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { ident, literal, type TSql } from '../sql/sql';
import { databaseMessage } from './database-message';

interface TUniqueKey {
  schema: string;
  table: string;
  name: string;
  /** `ALTER TABLE … ADD CONSTRAINT` for a primary key or unique constraint, else `CREATE UNIQUE INDEX`. */
  constraint: boolean;
  definition: string;
  /** The key's columns, as a JSON array. */
  columns: string;
}

/** The tables' oids, from their qualified names passed as one JSON parameter (any character in a name survives). */
const TABLES_PARAM = `(SELECT to_regclass(name) FROM json_array_elements_text($1::json) AS name)`;

/**
 * Primary keys and unique indexes of the restored tables, dropped before
 * the rows go in and built again after, as pg_restore does: one sorted
 * build costs far less than updating the index per row. Left in place: keys
 * on expressions or with a WHERE (their duplicates cannot be found by
 * column), and keys a foreign key of a table outside the restore depends on.
 * The caller drops the restored tables' own foreign keys first.
 */
export async function dropUniqueKeys(sql: TSql, models: TBackupModel[]): Promise<TUniqueKey[]> {
  const names = JSON.stringify(models.map(qualifiedName));
  const keys = await sql.query<TUniqueKey>(
    `SELECT n.nspname AS "schema", c.relname AS "table", i.relname AS name, k.oid IS NOT NULL AS "constraint",
            CASE WHEN k.oid IS NOT NULL THEN pg_get_constraintdef(k.oid) ELSE pg_get_indexdef(x.indexrelid) END AS definition,
            (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.attnum)::text AS columns
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u')
     WHERE x.indrelid IN ${TABLES_PARAM} AND (x.indisunique OR x.indisprimary)
       AND x.indexprs IS NULL AND x.indpred IS NULL AND NOT (0 = ANY (x.indkey::int2[]))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid
                         AND f.conrelid NOT IN ${TABLES_PARAM})
     ORDER BY n.nspname, c.relname, i.relname`,
    names,
  );
  for (const key of keys) {
    await sql.execute(
      key.constraint
        ? `ALTER TABLE ${qualifiedName(key)} DROP CONSTRAINT ${ident(key.name)}`
        : `DROP INDEX ${qualifiedName({ schema: key.schema, table: key.name })}`,
    );
  }
  return keys;
}

/**
 * Builds the dropped keys again. A build that finds a duplicate fails the
 * restore naming the row that brought it (the later of the two, by its
 * position among the model's rows and its key), as a per-row check would.
 */
export async function restoreUniqueKeys(sql: TSql, keys: TUniqueKey[], models: TBackupModel[]): Promise<void> {
  for (const key of keys) {
    const statement = key.constraint
      ? `ALTER TABLE ${qualifiedName(key)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`
      : key.definition;
    await sql.execute('SAVEPOINT erp_restore_key');
    try {
      await sql.execute(statement);
      await sql.execute('RELEASE SAVEPOINT erp_restore_key');
    } catch (error) {
      await sql.execute('ROLLBACK TO SAVEPOINT erp_restore_key');
      const model = models.find((candidate) => candidate.schema === key.schema && candidate.table === key.table);
      throw new BackupError(
        'RESTORE_FAILED',
        sentences(`Restore failed ${await duplicateRow(sql, key, model)}: ${duplicateMessage(key, error)}`, 'Nothing was changed'),
        { cause: error },
      );
    }
  }
}

/** PostgreSQL's words for the same duplicate found row by row, with its DETAIL (`Key (code)=(DUP) is duplicated`). */
function duplicateMessage(key: TUniqueKey, error: unknown): string {
  if ((error as { code?: unknown })?.code !== '23505') return databaseMessage(error);
  const detail = (error as { detail?: unknown }).detail;
  const why = typeof detail === 'string' ? ` (${detail.trim().replace(/[.\s]+$/, '')})` : '';
  return `duplicate key value violates unique constraint "${key.name}"${why}`;
}

/**
 * `at School row 2 (id=s2)`: the first row whose key an earlier row already
 * holds. The table was emptied and filled by COPY in this transaction, so
 * its physical order is the file's.
 */
async function duplicateRow(sql: TSql, key: TUniqueKey, model: TBackupModel | undefined): Promise<string> {
  const name = model?.name ?? key.table;
  const columns = (JSON.parse(key.columns) as string[]).map(ident);
  const rowKey = model?.rowKey ?? [];
  const [row] = await sql.query<{ position: string; key: string }>(
    `SELECT position::text, key FROM (
       SELECT row_number() OVER (ORDER BY ctid) AS position,
              row_number() OVER (PARTITION BY ${columns.join(', ')} ORDER BY ctid) AS nth,
              ${rowKey.length > 0 ? `concat_ws(', ', ${rowKey.map((column) => `${literal(column)} || '=' || coalesce(${ident(column)}::text, 'NULL')`).join(', ')})` : `''`} AS key,
              ${columns.map((column) => `${column} IS NOT NULL`).join(' AND ')} AS keyed
       FROM ${qualifiedName(key)}) AS numbered
     WHERE nth > 1 AND keyed ORDER BY position LIMIT 1`,
  );
  if (!row) return `in ${name}`;
  return `at ${name} row ${row.position}${row.key ? ` (${row.key.slice(0, 200)})` : ''}`;
}
