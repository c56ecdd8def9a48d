import type { Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { markHandled } from '@/lib/async/mark-handled';
import { parseCopyLine } from '../format/copy-text';
import { literal } from '../sql/sql';
import type { TCopySelect } from './copy-out';
import { countLines, lastLine } from './line-blocks';

export interface TPglitePageOptions {
  /** Most rows per page. */
  pageRows: number;
  /** The COPY text a page aims at: the next page's row limit follows the last page's row width. */
  pageBytes: number;
}

/**
 * Reads a model through PGlite's `COPY … TO '/dev/blob'`, which returns a
 * query's whole output at once: so in keyset pages (`WHERE (key) > (last
 * key) ORDER BY key LIMIT n`, never OFFSET, which skips or repeats rows),
 * each page one block. The last key is read back from the page's last line;
 * COPY takes no parameters, so it is written as literals cast to the key's
 * types. The next page is read while the current one is handed on.
 */
export async function* pgliteCopyPages(
  transaction: PGliteTransaction,
  select: TCopySelect,
  options: TPglitePageOptions,
): AsyncGenerator<Uint8Array> {
  // A small first page: a table of wide rows (documents of megabytes) is seen before it fills memory.
  let limit = Math.min(options.pageRows, 100);
  const fetchPage = (after: (string | null)[] | null) => {
    const conditions = after
      ? [
          ...select.where,
          `(${select.orderBy}) > (${after.map((value, i) => `${value === null ? 'NULL' : literal(value)}::${select.keyTypes[i]}`).join(', ')})`,
        ]
      : select.where;
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const query = `SELECT ${select.columns} FROM ${select.from} ${where} ORDER BY ${select.orderBy} LIMIT ${limit}`;
    // Awaited on the next turn; if the consumer stops first, its failure must not crash the process.
    return markHandled(transaction.query(`COPY (${query}) TO '/dev/blob'`).then(async (result) => result.blob));
  };
  let pending = fetchPage(null);
  for (;;) {
    const blob = await pending;
    if (!blob || blob.size === 0) return;
    const block = new Uint8Array(await blob.arrayBuffer());
    const rows = countLines(block);
    const full = rows >= limit;
    if (full) {
      const last = parseCopyLine(lastLine(block));
      limit = Math.max(1, Math.min(options.pageRows, Math.floor((limit * options.pageBytes) / Math.max(block.length, 1))));
      pending = fetchPage(select.keyIndexes.map((index) => last[index] ?? null));
    }
    yield block;
    if (!full) return;
  }
}
