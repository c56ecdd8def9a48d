import type { TModelBlocks } from '../format/copy-document-writer';
import type { TBackupHeader } from '../format/document';
import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';
import { applyCanonicalTextForms } from '../sql/session-settings';
import type { TSql } from '../sql/sql';
import { copyOutBlocks, type TCopyOutOptions } from './copy-out';

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

/**
 * The document header: database clock, applied migration and per-table row
 * counts, all from the snapshot. `counted`: row counts the caller already
 * took in this snapshot (a snapshot's survey of changed ranges), not counted again.
 */
export async function readHeader(
  sql: TSql,
  models: TBackupModel[],
  partial = false,
  counted: ReadonlyMap<string, number> = new Map(),
): Promise<TBackupHeader> {
  const [clock] = await sql.query<{ now: string; version: string }>(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now, current_setting('server_version') AS version`,
  );
  const migration = await readLatestMigration(sql);
  const uncounted = models.flatMap((model, index) => (counted.has(model.name) ? [] : [{ model, index }]));
  const rows =
    uncounted.length === 0
      ? []
      : await sql.query<{ i: number; count: string }>(
          uncounted
            .map(({ model, index }) => `SELECT ${index} AS i, count(*)::text AS count FROM ${qualifiedName(model)}`)
            .join(' UNION ALL '),
        );
  const counts = models.map((model, index) => counted.get(model.name) ?? Number(rows.find((row) => Number(row.i) === index)?.count ?? 0));
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
      rowCount: counts[index] ?? 0,
    })),
  };
}

/** Every model of the snapshot as blocks of COPY text rows (copy-out.ts), read one model after the other as the writer asks. */
export function snapshotBlocks(connection: TEngineConnection, models: TBackupModel[], options: TCopyOutOptions = {}): TModelBlocks[] {
  return models.map((model) => ({ name: model.name, blocks: copyOutBlocks(connection, model, options) }));
}
