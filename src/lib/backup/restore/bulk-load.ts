import { BackupError, sentences } from '../errors/errors';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { ident, type TSql } from '../sql/sql';
import { databaseMessage } from './database-message';
import { dropUniqueKeys, restoreUniqueKeys } from './unique-keys';

interface TForeignKey {
  schema: string;
  table: string;
  name: string;
  definition: string;
  columns: string;
  referenced_schema: string;
  referenced_table: string;
  referenced_columns: string;
}

interface TSecondaryIndex {
  schema: string;
  name: string;
  definition: string;
}

/** The tables' oids, from their qualified names passed as one JSON parameter (any character in a name survives). */
const TABLES_PARAM = `(SELECT to_regclass(name) FROM json_array_elements_text($1::json) AS name)`;

/**
 * Loads tables the way pg_restore does: foreign keys, indexes, primary keys
 * and unique keys of the restored tables are dropped before the rows go in
 * and re-created after, inside the caller's transaction. Checking every
 * reference row by row and updating every index per row made restores
 * several times slower; re-creating them checks the same thing in one pass.
 * PostgreSQL's DDL is transactional, so a failure still rolls back to the
 * untouched database. A duplicate is named by the row that brings it
 * (unique-keys.ts). `link` runs once the keys are back (deferred foreign
 * keys are filled in by key), before the foreign keys are checked.
 */
export async function withConstraintsSuspended<T>(
  sql: TSql,
  models: TBackupModel[],
  load: () => Promise<T>,
  link: (loaded: T) => Promise<void>,
): Promise<T> {
  const names = JSON.stringify(models.map(qualifiedName));
  const foreignKeys = await sql.query<TForeignKey>(
    `SELECT n.nspname AS "schema", c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition,
            (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum)::text AS columns,
            rn.nspname AS referenced_schema, r.relname AS referenced_table,
            (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum)::text AS referenced_columns
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
     WHERE k.contype = 'f' AND k.conrelid IN ${TABLES_PARAM}
     ORDER BY n.nspname, c.relname, k.conname`,
    names,
  );
  const indexes = await sql.query<TSecondaryIndex>(
    `SELECT n.nspname AS "schema", i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE x.indrelid IN ${TABLES_PARAM} AND NOT x.indisunique AND NOT x.indisprimary
     ORDER BY n.nspname, i.relname`,
    names,
  );
  for (const fk of foreignKeys) await sql.execute(`ALTER TABLE ${qualifiedName(fk)} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const index of indexes) await sql.execute(`DROP INDEX ${qualifiedName({ schema: index.schema, table: index.name })}`);
  const keys = await dropUniqueKeys(sql, models);

  const result = await load();
  await restoreUniqueKeys(sql, keys, models);
  await link(result);

  for (const index of indexes) await sql.execute(index.definition);
  for (const fk of foreignKeys) {
    await sql.execute('SAVEPOINT erp_restore_fk');
    try {
      await sql.execute(`ALTER TABLE ${qualifiedName(fk)} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
      await sql.execute('RELEASE SAVEPOINT erp_restore_fk');
    } catch (error) {
      await sql.execute('ROLLBACK TO SAVEPOINT erp_restore_fk');
      throw new BackupError(
        'RESTORE_FAILED',
        sentences(
          `Restore failed: the backup's ${fk.table} rows break a reference (${databaseMessage(error)}${await brokenReference(sql, fk)})`,
          'Nothing was changed',
        ),
        { cause: error },
      );
    }
  }
  return result;
}

/**
 * What PostgreSQL's DETAIL would say about a broken reference (the driver
 * adapters drop it): the first row whose key has no referenced row, as
 * `; Key (invoiceId)=(inv9) is not present in table "Invoice"`.
 */
async function brokenReference(sql: TSql, fk: TForeignKey): Promise<string> {
  const columns = JSON.parse(fk.columns) as string[];
  const referencedColumns = JSON.parse(fk.referenced_columns) as string[];
  const referenced = { schema: fk.referenced_schema, table: fk.referenced_table };
  const [orphan] = await sql.query<{ key: string }>(
    `SELECT concat_ws(', ', ${columns.map((column) => `c.${ident(column)}::text`).join(', ')}) AS key
     FROM ${qualifiedName(fk)} c
     WHERE ${columns.map((column) => `c.${ident(column)} IS NOT NULL`).join(' AND ')}
       AND NOT EXISTS (SELECT 1 FROM ${qualifiedName(referenced)} p WHERE ${columns
         .map((column, i) => `p.${ident(referencedColumns[i] as string)} = c.${ident(column)}`)
         .join(' AND ')})
     LIMIT 1`,
  );
  if (!orphan) return '';
  return `; Key (${columns.join(', ')})=(${orphan.key.slice(0, 200)}) is not present in table "${fk.referenced_table}"`;
}
