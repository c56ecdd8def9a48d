import { markHandled } from '@/lib/async/mark-handled';
import type { TModelBlocks } from '../format/copy-document-writer';
import type { TBackupHeader, TRow } from '../format/document';
import type { TModelRows } from '../format/document-writer';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';
import { applyCanonicalTextForms } from '../sql/session-settings';
import { ident, type TSql } from '../sql/sql';
import { copyOutBlocks, type TCopyOutOptions } from './copy-out';

export interface TSnapshotOptions {
  /** Rows per query; shrinks automatically for wide rows. */
  pageSize?: number;
  /** Target text size of one page, so tables of documents or photos do not fill memory. */
  pageBytes?: number;
  /** Awaited before the page is handed on: the export waits for it (and stops if it throws). */
  onRows?: (model: string, rows: number) => void | Promise<void>;
}

/**
 * Starts a consistent read of the given models. Must be the first statement
 * in its transaction: it makes the transaction REPEATABLE READ and read-only,
 * so every model is read from one snapshot even while the ERP keeps writing.
 */
export async function beginSnapshot(sql: TSql): Promise<void> {
  await sql.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  await applyCanonicalTextForms(sql);
}

/** The last migration applied to the database (its schema version), or null when none is recorded. */
export async function readLatestMigration(sql: TSql): Promise<string | null> {
  const [migration] = await sql.query<{ name: string }>(
    `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`,
  );
  return migration?.name ?? null;
}

/** The document header: database clock, applied migration and per-table row counts, all from the snapshot. */
export async function readHeader(sql: TSql, models: TBackupModel[], partial = false): Promise<TBackupHeader> {
  const [clock] = await sql.query<{ now: string; version: string }>(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now, current_setting('server_version') AS version`,
  );
  const migration = await readLatestMigration(sql);
  const counts = await sql.query<{ count: string }>(
    models.map((model, index) => `SELECT ${index} AS i, count(*)::text AS count FROM ${qualifiedName(model)}`).join(' UNION ALL ') +
      ' ORDER BY i',
  );
  return {
    createdAt: clock?.now ?? new Date().toISOString(),
    migration,
    database: `PostgreSQL ${clock?.version ?? 'unknown'}`,
    ...(partial ? { partial } : {}),
    models: models.map((model, index) => ({
      name: model.name,
      table: model.table,
      schema: model.schema,
      ...(model.kind === 'join' ? { kind: model.kind } : {}),
      columns: model.columns.map((column) => column.name),
      types: model.columns.map((column) => column.sqlType),
      primaryKey: model.rowKey,
      rowCount: Number(counts[index]?.count ?? 0),
    })),
  };
}

/**
 * Reads one model in row-key order (its primary key, or its unique key of
 * required columns) with keyset pagination (never OFFSET, which skips or
 * repeats rows), every column as PostgreSQL text.
 */
async function* readPages(sql: TSql, model: TBackupModel, options: TSnapshotOptions): AsyncGenerator<TRow[]> {
  const maxRows = options.pageSize ?? 5000;
  const pageBytes = options.pageBytes ?? 8 << 20;
  const select = model.columns.map((column, index) => `${ident(column.name)}::text AS c${index}`).join(', ');
  const pkIndexes = model.rowKey.map((name) => model.columns.findIndex((column) => column.name === name));
  const pkTypes = pkIndexes.map((index) => model.columns[index]?.sqlType ?? 'text');
  const orderBy = model.rowKey.map(ident).join(', ');
  const afterClause = `(${orderBy}) > (${pkTypes.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  let limit = maxRows;
  const fetchPage = (after: (string | null)[] | null) => {
    // Awaited on the next turn; if the consumer stops first, its failure must not crash the process.
    return markHandled(
      sql.rows(
        `SELECT ${select} FROM ${qualifiedName(model)} ${after ? `WHERE ${afterClause}` : ''} ORDER BY ${orderBy} LIMIT ${limit}`,
        ...((after ?? []) as string[]),
      ),
    );
  };
  let pending = fetchPage(null);
  for (;;) {
    const result = await pending;
    if (result.length === 0) return;
    let bytes = 0;
    const rows: TRow[] = result;
    for (const row of rows) for (const value of row) if (value !== null) bytes += value.length;
    const full = result.length >= limit;
    if (full) {
      const lastRow = rows[rows.length - 1] as TRow;
      // Wide rows (documents, photos) get smaller pages to keep memory flat.
      limit = Math.max(1, Math.min(maxRows, Math.floor((limit * pageBytes) / Math.max(bytes, 1))));
      // The next page is read while this one is encoded and compressed.
      pending = fetchPage(pkIndexes.map((index) => lastRow[index] ?? null));
    }
    await options.onRows?.(model.name, rows.length);
    yield rows;
    if (!full) return;
  }
}

/** Every model of the snapshot as blocks of COPY text rows (copy-out.ts), read one model after the other as the writer asks. */
export function snapshotBlocks(connection: TEngineConnection, models: TBackupModel[], options: TCopyOutOptions = {}): TModelBlocks[] {
  return models.map((model) => ({ name: model.name, blocks: copyOutBlocks(connection, model, options) }));
}

export function snapshotRows(sql: TSql, models: TBackupModel[], options: TSnapshotOptions = {}): TModelRows[] {
  return models.map((model) => ({ name: model.name, pages: readPages(sql, model, options) }));
}
