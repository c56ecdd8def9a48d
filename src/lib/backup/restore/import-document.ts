import { markHandled } from '@/lib/async/mark-handled';
import { BackupError } from '../errors/errors';
import type { CodecPool } from '../format/codec-pool';
import type { TDocumentBlockEvent } from '../format/document-reader';
import type { TJsonToCopyOutput } from '../format/json-to-copy';
import { readAhead } from '../format/read-ahead';
import { qualifiedName } from '../schema/catalog';
import { HISTORY_MODELS, type TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';
import { applyCanonicalTextForms } from '../sql/session-settings';
import { ident, type TSql } from '../sql/sql';
import { withConstraintsSuspended } from './bulk-load';
import { CopyLoader } from './copy-loader';
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

export interface TImportOptions {
  /** Converts row blocks to COPY text in worker threads. */
  pool: CodecPool;
  /** Told after each block of rows is in (progress; a check that the lock is still held). */
  onRows?: (model: string, rows: number) => void | Promise<void>;
}

/** The transaction's connection: the engine-neutral SQL, and the driver's own for COPY. */
export interface TImportConnection {
  sql: TSql;
  connection: TEngineConnection;
}

/**
 * Replaces the rows of `models` with a backup's rows, inside the caller's
 * transaction: empties them, loads the file's rows with COPY in its
 * (dependency) order with keys, indexes and foreign keys suspended,
 * re-creates the keys, links deferred foreign keys, re-creates and so
 * re-checks the rest,
 * and moves autoincrement sequences past the restored ids. The caller
 * commits only after the event stream ends cleanly, which is after the
 * file's auth tag has been checked.
 */
export async function importDocument(
  on: TImportConnection,
  models: TBackupModel[],
  events: AsyncIterable<TDocumentBlockEvent>,
  options: TImportOptions,
): Promise<TImportResult> {
  await applyCanonicalTextForms(on.sql);
  // The keys and indexes are built after the load: with room to sort in memory they build faster (1.4 s → 1.1 s for
  // the largest at scale 20). Not on PGlite, whose WebAssembly memory, once grown, stays with the process.
  if (on.connection.engine === 'postgres') await on.sql.execute(`SET LOCAL maintenance_work_mem = '256MB'`);
  await on.sql.execute(`TRUNCATE TABLE ${models.map(qualifiedName).join(', ')}`);
  const loaded: TLoaded = { loaders: new Map(), legacyWriters: new Map() };
  return withConstraintsSuspended(
    on.sql,
    models,
    () => loadRows(on, models, events, options, loaded),
    async (result) => {
      for (const loader of loaded.loaders.values()) await loader.links.apply();
      for (const writer of loaded.legacyWriters.values()) await writer.applyDeferred();
      for (const model of models) {
        const done = loaded.loaders.get(model.name) ?? loaded.legacyWriters.get(model.name);
        const rows = done?.rowsWritten ?? 0;
        result.perModel[model.name] = rows;
        result.recordsRestored += rows;
        if (!done) result.modelsNotInBackup.push(model.name);
        await resetSequences(on.sql, model);
      }
    },
  );
}

/** What loaded each model: COPY, or for a version 1 document, INSERTs. */
interface TLoaded {
  loaders: Map<string, CopyLoader>;
  legacyWriters: Map<string, TableWriter>;
}

/** A block being converted, or the end of a model's rows, in file order. */
type TStep = { loader: CopyLoader; converted: Promise<TJsonToCopyOutput> } | { loader: CopyLoader; converted: null };

async function loadRows(
  on: TImportConnection,
  models: TBackupModel[],
  events: AsyncIterable<TDocumentBlockEvent>,
  options: TImportOptions,
  { loaders, legacyWriters }: TLoaded,
): Promise<TImportResult> {
  const onRows = options.onRows ?? (() => {});
  const byName = new Map(models.map((model) => [model.name, model]));
  const result: TImportResult = { recordsRestored: 0, perModel: {}, unmatchedModels: [], unmatchedFields: {}, modelsNotInBackup: [] };

  // Blocks are converted ahead, one per worker and two more (memory stays a few blocks), and written in order.
  const steps: TStep[] = [];
  const ahead = options.pool.size + 2;
  let writing: CopyLoader | null = null;
  const runStep = async (step: TStep) => {
    writing = step.loader;
    if (step.converted === null) {
      await step.loader.end();
      writing = null;
      return;
    }
    const converted = await step.converted;
    await step.loader.write(converted);
    await onRows(step.loader.model.name, converted.rows);
  };

  let sawHeader = false;
  try {
    for await (const event of readAhead(events)) {
      if (event.kind === 'header') {
        sawHeader = true;
        for (const fileModel of event.header.models) {
          const model = byName.get(fileModel.name);
          if (!model) {
            if (!HISTORY_MODELS.has(fileModel.name)) result.unmatchedModels.push(fileModel.name);
            continue;
          }
          const loader = new CopyLoader(on.sql, on.connection, model, fileModel.columns);
          if (loader.unknownColumns.length > 0) result.unmatchedFields[model.name] = loader.unknownColumns;
          loaders.set(model.name, loader);
        }
      } else if (event.kind === 'row-block') {
        const loader = loaders.get(event.block.model);
        if (!loader) continue;
        steps.push({ loader, converted: markHandled(loader.convert(options.pool, event.block)) });
        while (steps.length > ahead) await runStep(steps.shift() as TStep);
      } else if (event.kind === 'model-end') {
        const loader = loaders.get(event.model);
        if (loader) steps.push({ loader, converted: null });
      } else if (event.kind === 'legacy') {
        sawHeader = true;
        await loadLegacy(on.sql, models, event.document, result, legacyWriters, onRows);
      }
    }
    for (let step = steps.shift(); step; step = steps.shift()) await runStep(step);
  } catch (error) {
    // An unfinished COPY would keep the connection from rolling back.
    await (writing as CopyLoader | null)?.abort();
    throw error;
  }
  if (!sawHeader) throw new BackupError('CORRUPT', 'The backup has no content');
  return result;
}

/** The earlier service's version 1 document, inserted table by table (it is small, and comes whole). */
async function loadLegacy(
  sql: TSql,
  models: TBackupModel[],
  document: unknown,
  result: TImportResult,
  writers: Map<string, TableWriter>,
  onRows: (model: string, rows: number) => void | Promise<void>,
): Promise<void> {
  const legacy = readLegacyDocument(document, models);
  result.unmatchedModels.push(...legacy.unmatchedTables);
  Object.assign(result.unmatchedFields, legacy.unmatchedFields);
  // The earlier service wrote tables in no particular order; insert in dependency order.
  const ordered = [...legacy.tables].sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model));
  for (const table of ordered) {
    const writer = new TableWriter(sql, table.model, table.columns);
    writers.set(table.model.name, writer);
    for (let start = 0; start < table.rows.length; start += 2000) {
      const rows = table.rows.slice(start, start + 2000);
      await writer.write(rows);
      await onRows(table.model.name, rows.length);
    }
  }
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
