import { BackupError } from '../errors/errors';
import type { TRow } from '../format/document';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import { ident, type TSql } from '../sql/sql';
import { databaseMessage } from './database-message';

/**
 * Deferred foreign keys of one table (self-relations, required cycles):
 * their rows are loaded with these columns NULL, and the values are
 * remembered here, as `[...row key, ...deferred values]`, to be filled in
 * once every referenced row exists.
 */
export class DeferredLinks {
  private readonly links: TRow[] = [];

  constructor(
    private readonly sql: TSql,
    private readonly model: TBackupModel,
    /** The deferred columns, in the order of the values after the key. */
    readonly columns: string[],
  ) {}

  add(links: TRow[]): void {
    for (const link of links) this.links.push(link);
  }

  /** Fills in the deferred foreign keys, in batches of one UPDATE each. */
  async apply(batchSize = 5000): Promise<void> {
    if (this.links.length === 0) return;
    const typeOf = (name: string) => this.model.columns.find((column) => column.name === name)?.sqlType ?? 'text';
    const keyCount = this.model.rowKey.length;
    const set = this.columns.map((name, i) => `${ident(name)} = (r->>${keyCount + i})::${typeOf(name)}`).join(', ');
    const match = this.model.rowKey.map((name, i) => `t.${ident(name)} = (r->>${i})::${typeOf(name)}`).join(' AND ');
    const update = `UPDATE ${qualifiedName(this.model)} AS t SET ${set} FROM json_array_elements($1::json) AS r WHERE ${match}`;
    for (let start = 0; start < this.links.length; start += batchSize) {
      try {
        await this.sql.execute(update, JSON.stringify(this.links.slice(start, start + batchSize)));
      } catch (error) {
        throw new BackupError(
          'RESTORE_FAILED',
          `Restore failed while linking ${this.model.name}.${this.columns.join('/')}: ${databaseMessage(error)}`,
          { cause: error },
        );
      }
    }
  }
}
