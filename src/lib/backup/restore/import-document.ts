import { BackupError } from '../errors/errors';
import type { TRow } from '../format/document';
import type { TDocumentEvent } from '../format/document-reader';
import { readAhead } from '../format/read-ahead';
import { qualifiedName } from '../schema/catalog';
import { HISTORY_MODELS, type TBackupModel } from '../schema/models';
import { applyCanonicalTextForms } from '../sql/session-settings';
import { ident, type TSql } from '../sql/sql';
import { withConstraintsSuspended } from './bulk-load';
import { readLegacyDocument } from './legacy';
import { TableWriter } from './table-writer';

export interface TImportResult {
  recordsRestored: number;
  perModel: Record<string, number>;
  /** Models of the file that match nothing in the current schema (their rows were not restored). */
  unmatchedModels: string[];
  /** Per model, columns of the file that match no column of the current schema. */
  unmatchedFields: Record<string, string[]>;
  /** Models emptied by the restore because the backup has no rows section for them. */
  modelsNotInBackup: string[];
}

/**
 * Replaces the rows of `models` with a backup's rows, inside the caller's
 * transaction: empties them, inserts the file's rows in its (dependency)
 * order with foreign keys and secondary indexes suspended, links deferred
 * foreign keys, re-creates and so re-checks the constraints, and moves
 * autoincrement sequences past the restored ids. The caller commits only after the event stream ends
 * cleanly, which is after the file's auth tag has been checked.
 */
export async function importDocument(
  sql: TSql,
  models: TBackupModel[],
  events: AsyncIterable<TDocumentEvent>,
  onRows: (model: string, rows: number) => void | Promise<void> = () => {},
): Promise<TImportResult> {
  await applyCanonicalTextForms(sql);
  await sql.execute(`TRUNCATE TABLE ${models.map(qualifiedName).join(', ')}`);
  return withConstraintsSuspended(sql, models, () => loadRows(sql, models, events, onRows));
}

async function loadRows(
  sql: TSql,
  models: TBackupModel[],
  events: AsyncIterable<TDocumentEvent>,
  onRows: (model: string, rows: number) => void | Promise<void>,
): Promise<TImportResult> {
  const byName = new Map(models.map((model) => [model.name, model]));
  const result: TImportResult = { recordsRestored: 0, perModel: {}, unmatchedModels: [], unmatchedFields: {}, modelsNotInBackup: [] };
  const writers = new Map<string, { writer: TableWriter; keep: number[] | null }>();
  const seenModels = new Set<string>();

  const openWriter = (model: TBackupModel, fileColumns: string[]) => {
    const known = new Set(model.columns.map((column) => column.name));
    const keep = fileColumns.flatMap((name, index) => (known.has(name) ? [index] : []));
    const unknown = fileColumns.filter((name) => !known.has(name));
    if (unknown.length > 0) result.unmatchedFields[model.name] = unknown;
    const columns = keep.map((index) => fileColumns[index] as string);
    writers.set(model.name, { writer: new TableWriter(sql, model, columns), keep: unknown.length > 0 ? keep : null });
    seenModels.add(model.name);
  };
  const write = async (modelName: string, rows: TRow[]) => {
    const entry = writers.get(modelName);
    if (!entry) return;
    await entry.writer.write(entry.keep ? rows.map((row) => (entry.keep as number[]).map((index) => row[index] ?? null)) : rows);
    await onRows(modelName, rows.length);
  };

  let sawHeader = false;
  for await (const event of readAhead(events)) {
    if (event.kind === 'header') {
      sawHeader = true;
      for (const fileModel of event.header.models) {
        const model = byName.get(fileModel.name);
        if (model) openWriter(model, fileModel.columns);
        else if (!HISTORY_MODELS.has(fileModel.name)) result.unmatchedModels.push(fileModel.name);
      }
    } else if (event.kind === 'rows') {
      await write(event.model, event.rows);
    } else if (event.kind === 'legacy') {
      sawHeader = true;
      const legacy = readLegacyDocument(event.document, models);
      result.unmatchedModels.push(...legacy.unmatchedTables);
      Object.assign(result.unmatchedFields, legacy.unmatchedFields);
      // The earlier service wrote tables in no particular order; insert in dependency order.
      const ordered = [...legacy.tables].sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model));
      for (const table of ordered) {
        openWriter(table.model, table.columns);
        for (let start = 0; start < table.rows.length; start += 2000) await write(table.model.name, table.rows.slice(start, start + 2000));
      }
    }
  }
  if (!sawHeader) throw new BackupError('CORRUPT', 'The backup has no content');

  for (const { writer } of writers.values()) await writer.applyDeferred();
  for (const model of models) {
    const rows = writers.get(model.name)?.writer.rowsWritten ?? 0;
    result.perModel[model.name] = rows;
    result.recordsRestored += rows;
    if (!seenModels.has(model.name)) result.modelsNotInBackup.push(model.name);
    await resetSequences(sql, model);
  }
  return result;
}

/** Moves each autoincrement sequence past the highest restored id, so new rows do not collide. */
async function resetSequences(sql: TSql, model: TBackupModel): Promise<void> {
  for (const column of model.columns.filter((c) => c.serial)) {
    const table = qualifiedName(model);
    await sql.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(m, 1), m IS NOT NULL) FROM (SELECT max(${ident(column.name)}) AS m FROM ${table}) AS highest`,
      table,
      column.name,
    );
  }
}
