import { isConnectionLost } from '../errors/connection-errors';
import { BackupError, sentences } from '../errors/errors';
import type { CodecPool } from '../format/codec-pool';
import { parseCopyLine } from '../format/copy-text';
import type { TJsonToCopyOutput } from '../format/json-to-copy';
import type { TRowBlock } from '../format/row-block';
import type { TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';
import type { TSql } from '../sql/sql';
import { CopyInError, openCopyIn, type TCopyIn } from './copy-in';
import { databaseMessage } from './database-message';
import { DeferredLinks } from './deferred-links';

/** Blocks kept after they were sent, to name a row PostgreSQL refuses after it has received later ones. */
const RECENT_BLOCKS = 3;

/**
 * Loads one model's rows from the document's row blocks with COPY: the
 * file's columns the schema knows (the others are left out), deferred
 * foreign keys NULL until DeferredLinks fills them in. Blocks are converted
 * in the codec pool and written in the order they are handed over.
 */
export class CopyLoader {
  rowsWritten = 0;
  /** Columns of the file that match no column of the current schema. */
  readonly unknownColumns: string[];
  readonly links: DeferredLinks;
  private readonly columns: string[];
  private readonly keep: number[];
  private readonly deferred: number[];
  private readonly key: number[];
  private copyIn: TCopyIn | null = null;
  private readonly recent: { firstRow: number; rows: number; copy: Uint8Array }[] = [];

  constructor(
    sql: TSql,
    private readonly connection: TEngineConnection,
    readonly model: TBackupModel,
    fileColumns: string[],
  ) {
    const known = new Set(model.columns.map((column) => column.name));
    this.keep = fileColumns.flatMap((name, index) => (known.has(name) ? [index] : []));
    this.unknownColumns = fileColumns.filter((name) => !known.has(name));
    this.columns = this.keep.map((index) => fileColumns[index] as string);
    this.deferred = this.keep.filter((index) => model.deferredColumns.includes(fileColumns[index] as string));
    this.key = model.rowKey.map((name) => fileColumns.indexOf(name));
    this.links = new DeferredLinks(
      sql,
      model,
      this.deferred.map((index) => fileColumns[index] as string),
    );
  }

  /** Starts converting a block to COPY text in a worker thread (its bytes are moved there when they own their memory). */
  convert(pool: CodecPool, block: TRowBlock): Promise<TJsonToCopyOutput> {
    const { lines } = block;
    const owned = lines.buffer instanceof ArrayBuffer && lines.byteOffset === 0 && lines.byteLength === lines.buffer.byteLength;
    return pool.run('jsonToCopy', { block, keep: this.keep, deferred: this.deferred, key: this.key }, owned ? [lines.buffer] : []);
  }

  async write(converted: TJsonToCopyOutput): Promise<void> {
    this.copyIn ??= openCopyIn(this.connection, this.model, this.columns);
    this.recent.push({ firstRow: this.rowsWritten + 1, rows: converted.rows, copy: converted.copy });
    if (this.recent.length > RECENT_BLOCKS) this.recent.shift();
    try {
      await this.copyIn.write(converted.copy, converted.rows);
    } catch (error) {
      throw this.explain(error);
    }
    this.rowsWritten += converted.rows;
    this.links.add(converted.links);
  }

  /** Ends the model's COPY: every row written is in the table. */
  async end(): Promise<void> {
    const copyIn = this.copyIn;
    this.copyIn = null;
    try {
      await copyIn?.end();
    } catch (error) {
      throw this.explain(error);
    }
    // Every row is in: nothing is left to name. Kept, each model's last blocks
    // would add up over a restore of many tables (megabytes per table).
    this.recent.length = 0;
  }

  async abort(): Promise<void> {
    const copyIn = this.copyIn;
    this.copyIn = null;
    this.recent.length = 0;
    await copyIn?.abort();
  }

  /** A refused COPY as the restore's error: the model, the row's position and key when the engine says which, and its reason. */
  private explain(error: unknown): unknown {
    if (!(error instanceof CopyInError)) return error;
    const cause = error.cause;
    // A lost connection is reported as such by the restore (restoreFailure), not as a bad row.
    if (isConnectionLost(cause)) return cause;
    const where = error.row === null ? `in ${this.model.name}` : `at ${this.model.name} row ${error.row}${this.keyOf(error.row)}`;
    return new BackupError('RESTORE_FAILED', sentences(`Restore failed ${where}: ${databaseMessage(cause)}`, 'Nothing was changed'), {
      cause,
    });
  }

  /** ` (id=s2)`: the row key of the `row`th row, if it is still at hand. */
  private keyOf(row: number): string {
    const block = this.recent.find((candidate) => row >= candidate.firstRow && row < candidate.firstRow + candidate.rows);
    if (!block) return '';
    const text = Buffer.from(block.copy.buffer, block.copy.byteOffset, block.copy.byteLength).toString('utf8');
    let start = 0;
    for (let skip = row - block.firstRow; skip > 0; skip--) start = text.indexOf('\n', start) + 1;
    const values = parseCopyLine(text.slice(start, text.indexOf('\n', start)));
    const key = this.model.rowKey.map((name) => `${name}=${values[this.columns.indexOf(name)] ?? 'NULL'}`);
    return key.length > 0 ? ` (${key.join(', ')})` : '';
  }
}
