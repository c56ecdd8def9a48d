import { BackupError, sentences } from '../errors';
import { ident, type TSql } from '../sql';
import { databaseMessage } from './table-writer';

interface TForeignKey {
  table: string;
  name: string;
  definition: string;
}

interface TSecondaryIndex {
  name: string;
  definition: string;
}

/**
 * Loads tables the way pg_restore does: foreign keys and non-unique
 * indexes of the restored tables are dropped before the rows go in and
 * re-created after, inside the caller's transaction. Checking every
 * reference row by row and updating every index per insert made restores
 * several times slower; re-creating them checks the same thing in one pass.
 * PostgreSQL's DDL is transactional, so a failure still rolls back to the
 * untouched database. Unique indexes and primary keys stay, so a duplicate
 * is still caught at the row that brings it (and named).
 */
export async function withConstraintsSuspended<T>(sql: TSql, tables: string[], load: () => Promise<T>): Promise<T> {
  const names = tables.join(',');
  const foreignKeys = await sql.query<TForeignKey>(
    `SELECT c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND k.contype = 'f' AND c.relname = ANY(string_to_array($1, ','))
     ORDER BY c.relname, k.conname`,
    names,
  );
  const indexes = await sql.query<TSecondaryIndex>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND t.relname = ANY(string_to_array($1, ',')) AND NOT x.indisunique AND NOT x.indisprimary
     ORDER BY i.relname`,
    names,
  );
  for (const fk of foreignKeys) await sql.execute(`ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const index of indexes) await sql.execute(`DROP INDEX ${ident(index.name)}`);

  const result = await load();

  for (const index of indexes) await sql.execute(index.definition);
  for (const fk of foreignKeys) {
    try {
      await sql.execute(`ALTER TABLE ${ident(fk.table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    } catch (error) {
      throw new BackupError(
        'RESTORE_FAILED',
        sentences(`Restore failed: the backup's ${fk.table} rows break a reference (${databaseMessage(error)})`, 'Nothing was changed'),
        {
          cause: error,
        },
      );
    }
  }
  return result;
}
