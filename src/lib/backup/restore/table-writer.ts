import { BackupError, sentences } from '../errors/errors';
import type { TRow } from '../format/document';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { ident, type TSql } from '../sql/sql';

/**
 * Inserts rows given as PostgreSQL text values into one table. A whole batch
 * goes in one statement (`json_array_elements` over a single parameter, cast
 * column by column), which is fast on both engines. Deferred foreign keys
 * (self-relations, cycles) are inserted as NULL and remembered for
 * `applyDeferred()`.
 */
export class TableWriter {
  private readonly insertSql: string;
  private readonly deferredIndexes: number[];
  private readonly pkIndexes: number[];
  private readonly deferred: TRow[] = [];
  rowsWritten = 0;

  constructor(
    private readonly sql: TSql,
    readonly model: TBackupModel,
    /** The file's columns, in the order of its row arrays; all present in the model. */
    private readonly columns: string[],
  ) {
    const typeOf = (name: string) => model.columns.find((column) => column.name === name)?.sqlType ?? 'text';
    this.deferredIndexes = columns.flatMap((name, index) => (model.deferredColumns.includes(name) ? [index] : []));
    this.pkIndexes = model.rowKey.map((name) => columns.indexOf(name));
    const values = columns.map((name, index) =>
      this.deferredIndexes.includes(index) ? `NULL::${typeOf(name)}` : `(r->>${index})::${typeOf(name)}`,
    );
    this.insertSql = `INSERT INTO ${qualifiedName(model)} (${columns.map(ident).join(', ')}) SELECT ${values.join(', ')} FROM json_array_elements($1::json) AS r`;
  }

  async write(rows: TRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.sql.execute('SAVEPOINT erp_restore_batch');
    try {
      await this.sql.execute(this.insertSql, JSON.stringify(rows));
      await this.sql.execute('RELEASE SAVEPOINT erp_restore_batch');
    } catch (error) {
      await this.sql.execute('ROLLBACK TO SAVEPOINT erp_restore_batch');
      throw await this.explainFailure(rows, error);
    }
    this.rowsWritten += rows.length;
    if (this.deferredIndexes.length > 0) {
      for (const row of rows) {
        if (this.deferredIndexes.some((index) => row[index] !== null)) {
          this.deferred.push([
            ...this.pkIndexes.map((index) => row[index] ?? null),
            ...this.deferredIndexes.map((index) => row[index] ?? null),
          ]);
        }
      }
    }
  }

  /** Fills in the deferred foreign keys once every referenced row exists. */
  async applyDeferred(batchSize = 5000): Promise<void> {
    if (this.deferred.length === 0) return;
    const typeOf = (name: string) => this.model.columns.find((column) => column.name === name)?.sqlType ?? 'text';
    const deferredNames = this.deferredIndexes.map((index) => this.columns[index] as string);
    const pkCount = this.model.rowKey.length;
    const set = deferredNames.map((name, i) => `${ident(name)} = (r->>${pkCount + i})::${typeOf(name)}`).join(', ');
    const match = this.model.rowKey.map((name, i) => `t.${ident(name)} = (r->>${i})::${typeOf(name)}`).join(' AND ');
    const update = `UPDATE ${qualifiedName(this.model)} AS t SET ${set} FROM json_array_elements($1::json) AS r WHERE ${match}`;
    for (let start = 0; start < this.deferred.length; start += batchSize) {
      try {
        await this.sql.execute(update, JSON.stringify(this.deferred.slice(start, start + batchSize)));
      } catch (error) {
        throw new BackupError(
          'RESTORE_FAILED',
          `Restore failed while linking ${this.model.name}.${deferredNames.join('/')}: ${databaseMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  /**
   * Finds the first row of a failed batch that the database rejects, so the
   * error can name it: the batch is replayed row by row (rows accumulate, as
   * they did in the batch) and undone afterwards.
   */
  private async explainFailure(rows: TRow[], error: unknown): Promise<BackupError> {
    await this.sql.execute('SAVEPOINT erp_restore_explain');
    try {
      for (const [index, row] of rows.entries()) {
        await this.sql.execute('SAVEPOINT erp_restore_row');
        try {
          await this.sql.execute(this.insertSql, JSON.stringify([row]));
          await this.sql.execute('RELEASE SAVEPOINT erp_restore_row');
        } catch (rowError) {
          await this.sql.execute('ROLLBACK TO SAVEPOINT erp_restore_row');
          const key = this.pkIndexes.map((i, k) => `${this.model.rowKey[k]}=${row[i]}`).join(', ');
          return new BackupError(
            'RESTORE_FAILED',
            sentences(
              `Restore failed at ${this.model.name} row ${this.rowsWritten + index + 1} (${key}): ${databaseMessage(rowError)}`,
              'Nothing was changed',
            ),
            { cause: rowError },
          );
        }
      }
    } finally {
      await this.sql.execute('ROLLBACK TO SAVEPOINT erp_restore_explain');
    }
    return new BackupError(
      'RESTORE_FAILED',
      sentences(`Restore failed in ${this.model.name}: ${databaseMessage(error)}`, 'Nothing was changed'),
      {
        cause: error,
      },
    );
  }
}

/**
 * The database's own sentence from a Prisma raw-query error, without Prisma's
 * wrapping and without a closing full stop (it is always quoted inside a
 * sentence of ours), followed by PostgreSQL's DETAIL when the driver
 * adapter kept it: the detail is what names the other table (`Table "Grade"
 * references "Student"`). Both are the server's descriptions of the data and
 * schema; they never hold a connection string or a key.
 */
export function databaseMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const inner = /Message: `([^`]*)`/.exec(text)?.[1] ?? /message: "([^"]*)"/.exec(text)?.[1];
  const message = (inner ?? text.split('\n').filter(Boolean).pop() ?? 'database error').slice(0, 300).replace(/[.\s]+$/, '');
  const detail = driverDetail(error);
  return detail ? `${message} (${detail.slice(0, 300).replace(/[.\s]+$/, '')})` : message;
}

/** DETAIL as a driver adapter reports it: inside Prisma's error, or on the adapter's own error (direct adapter queries). */
function driverDetail(error: unknown): string | null {
  type TCause = { cause?: { detail?: unknown } };
  const wrapped = error as { meta?: { driverAdapterError?: TCause } } & TCause;
  const detail = wrapped?.meta?.driverAdapterError?.cause?.detail ?? wrapped?.cause?.detail;
  return typeof detail === 'string' && detail.trim() ? detail.trim() : null;
}
