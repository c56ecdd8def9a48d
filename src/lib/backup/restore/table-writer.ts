import { BackupError, sentences } from '../errors/errors';
import type { TRow } from '../format/document';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { ident, type TSql } from '../sql/sql';
import { databaseMessage } from './database-message';
import { DeferredLinks } from './deferred-links';

/**
 * Inserts rows given as PostgreSQL text values into one table (the path of
 * the earlier service's version 1 documents; newer ones load with COPY,
 * import-document.ts). A whole batch
 * goes in one statement (`json_array_elements` over a single parameter, cast
 * column by column), which is fast on both engines. Deferred foreign keys
 * (self-relations, cycles) are inserted as NULL and remembered for
 * `applyDeferred()`.
 */
export class TableWriter {
  private readonly insertSql: string;
  private readonly deferredIndexes: number[];
  private readonly pkIndexes: number[];
  private readonly links: DeferredLinks;
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
    this.links = new DeferredLinks(
      sql,
      model,
      this.deferredIndexes.map((index) => columns[index] as string),
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
      this.links.add(
        rows
          .filter((row) => this.deferredIndexes.some((index) => row[index] !== null))
          .map((row) => [...this.pkIndexes.map((index) => row[index] ?? null), ...this.deferredIndexes.map((index) => row[index] ?? null)]),
      );
    }
  }

  /** Fills in the deferred foreign keys once every referenced row exists. */
  async applyDeferred(): Promise<void> {
    await this.links.apply();
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
