import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';
import { ident, literal } from '../sql/sql';
import { pgliteCopyPages } from './copy-out-pglite';
import { postgresCopyBlocks } from './copy-out-postgres';
import { countLines } from './line-blocks';

export interface TCopyOutOptions {
  /** PostgreSQL: bytes of COPY text gathered into one block (default 1 MiB). */
  blockBytes?: number;
  /** PGlite: most rows one page reads (default 100,000); fewer for wide rows. */
  pageRows?: number;
  /**
   * PGlite: the COPY text one page aims at (default 4 MiB), so tables of
   * documents or photos do not fill memory. Each page is a query of its own,
   * whose fixed cost small pages pay too often (1 MiB pages read a table
   * about twice as slowly as 4 MiB ones).
   */
  pageBytes?: number;
  /** Awaited before each block is handed on: the export waits for it (and stops if it throws). */
  onRows?: (model: string, rows: number) => void | Promise<void>;
  /** Only the rows of this key range (a model keyed by one column: changed-ranges.ts). */
  range?: TKeyRange;
}

/** The rows whose one-column key is `>= from` and `< to` (PostgreSQL text forms); null: unbounded on that side. */
export interface TKeyRange {
  from: string | null;
  to: string | null;
}

/**
 * The SELECT a model is read with: every column as PostgreSQL text (the
 * document's contract: `column::text`, so a `char(n)` reads as its cast
 * does), in row-key order (the primary key, or the unique key of a model
 * without one).
 */
export interface TCopySelect {
  columns: string;
  from: string;
  /** Conditions on the rows (ANDed), if any. */
  where: string[];
  orderBy: string;
  /** Positions of the row-key columns in the select list, and their SQL types (for keyset paging). */
  keyIndexes: number[];
  keyTypes: string[];
}

export function copySelect(model: TBackupModel, range?: TKeyRange): TCopySelect {
  const keyIndexes = model.rowKey.map((name) => model.columns.findIndex((column) => column.name === name));
  const keyTypes = keyIndexes.map((index) => model.columns[index]?.sqlType ?? 'text');
  const where: string[] = [];
  if (range) {
    if (model.rowKey.length !== 1) throw new Error(`A key range of ${model.name}, which is not keyed by one column`);
    const key = ident(model.rowKey[0] as string);
    // COPY takes no parameters: the bounds are literals cast to the key's type.
    if (range.from !== null) where.push(`${key} >= ${literal(range.from)}::${keyTypes[0]}`);
    if (range.to !== null) where.push(`${key} < ${literal(range.to)}::${keyTypes[0]}`);
  }
  return {
    // Aliased: a bare `ORDER BY id` would sort by an output column named `id`, the text, not the key.
    columns: model.columns.map((column, index) => `${ident(column.name)}::text AS c${index}`).join(', '),
    from: qualifiedName(model),
    where,
    orderBy: model.rowKey.map(ident).join(', '),
    keyIndexes,
    keyTypes,
  };
}

/**
 * Reads one model of the transaction's snapshot as blocks of whole COPY text
 * lines (UTF-8, each ending with a newline), in row-key order, whatever the
 * engine: one streamed COPY on a PostgreSQL server, keyset pages of COPY to
 * a Blob on PGlite (which cannot stream COPY). The caller runs the
 * transaction (beginSnapshot and the canonical text forms first). Each block
 * is a buffer of its own, ready to be transferred to a worker thread.
 */
export async function* copyOutBlocks(
  connection: TEngineConnection,
  model: TBackupModel,
  options: TCopyOutOptions = {},
): AsyncGenerator<Uint8Array> {
  const select = copySelect(model, options.range);
  const where = select.where.length > 0 ? ` WHERE ${select.where.join(' AND ')}` : '';
  const blocks =
    connection.engine === 'postgres'
      ? postgresCopyBlocks(connection.client, `SELECT ${select.columns} FROM ${select.from}${where} ORDER BY ${select.orderBy}`, {
          blockBytes: options.blockBytes ?? 1 << 20,
        })
      : pgliteCopyPages(connection.transaction, select, {
          pageRows: options.pageRows ?? 100_000,
          pageBytes: options.pageBytes ?? 4 << 20,
        });
  for await (const block of blocks) {
    await options.onRows?.(model.name, countLines(block));
    yield block;
  }
}
