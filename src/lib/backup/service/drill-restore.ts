import { applyMigrations, defaultSchemaPaths } from '@/lib/db/migrate';
import { readRestoredContent, type TRestoredContent } from '../drill/restored-digests';
import type { TThrowawayDatabase } from '../drill/throwaway-database';
import { beginSnapshot } from '../export/read-snapshot';
import type { TBackupContent } from '../format/backup-content';
import { sharedCodecPool } from '../format/codec-pool';
import type { TBackupHeader } from '../format/document';
import type { TDocumentBlockEvent } from '../format/document-reader';
import { importDocument } from '../restore/import-document';
import { readCatalog, tableKey } from '../schema/catalog';
import { resolveModels, type TBackupModel } from '../schema/models';
import { schemaModelsOf } from '../schema/prisma-models';
import { withEngineTransaction } from '../sql/engine-transaction';
import type { TBackupDeps } from './deps';

/** Where the drill is: `restoring` while the file is loaded (a failure then is the backup's), and the model at hand. */
export interface TDrillPosition {
  model: string | null;
  restoring: boolean;
}

/** What the drill found in the throwaway database, and what the file itself recorded. */
export interface TDrillRestore {
  /** Per model of the file, what the restored table holds (absent: the table could not be restored). */
  restored: Map<string, TRestoredContent>;
  /** The content digests the file records at the end of each model (version 3 and later). */
  fileDigests: Map<string, string>;
  /** Models of the file this version of the ERP has no table for. */
  unmatchedModels: string[];
}

/**
 * Rebuilds the schema the backup was made at in the throwaway database (the
 * migrations up to the one its header records), restores the file into it
 * with the restore's own import (one transaction, constraints re-checked,
 * committed only after the auth tag), then reads every restored table back
 * with the export's reader. `current` is told the model being loaded, so a
 * failure can be placed.
 */
export async function restoreIntoThrowaway(
  throwaway: TThrowawayDatabase,
  content: TBackupContent,
  header: TBackupHeader,
  deps: TBackupDeps,
  current: TDrillPosition,
): Promise<TDrillRestore> {
  const factory = throwaway.database.adapterFactory;
  await applyMigrations(factory, deps.drill?.schemaPaths ?? defaultSchemaPaths, header.migration ? { upTo: header.migration } : {});
  const fileDigests = new Map<string, string>();
  current.restoring = true;
  const imported = await withEngineTransaction(throwaway.database, { applicationName: 'erp-backup:drill' }, async (sql, connection) => {
    const models = await throwawayModels(sql, deps);
    const result = await importDocument({ sql, connection }, models, tapDigests(content.blocks(), fileDigests, current), {
      pool: sharedCodecPool(deps.workers),
    });
    return { models, unmatchedModels: result.unmatchedModels };
  });
  current.restoring = false;
  current.model = null;
  // Straight on the engine's driver: the export's COPY reader needs its connection.
  const restored = await withEngineTransaction(throwaway.database, { applicationName: 'erp-backup:drill' }, async (sql, connection) => {
    await beginSnapshot(sql);
    return readRestoredContent(connection, header, imported.models, sharedCodecPool(deps.workers), (model) => {
      current.model = model;
    });
  });
  return { restored, fileDigests, unmatchedModels: imported.unmatchedModels };
}

/**
 * The schema's models that have a table in the throwaway database, which is
 * at the backup's migration (a model added since has none there). History
 * models are included: the drill restores every table of the file.
 */
async function throwawayModels(sql: Parameters<typeof readCatalog>[0], deps: TBackupDeps): Promise<TBackupModel[]> {
  const schemaModels = deps.schemaModels ?? schemaModelsOf(deps.db.prisma);
  const namespaces = schemaModels.flatMap((model) => (model.schema ? [model.schema] : []));
  const catalog = await readCatalog(sql, namespaces);
  const present = schemaModels.filter((model) =>
    catalog.tables.has(tableKey({ schema: model.schema ?? catalog.currentSchema, table: model.table })),
  );
  return resolveModels(present, catalog, { ignoreUnplaced: true });
}

/** Passes the file's events through, noting each model's recorded digest and the model being read. */
async function* tapDigests(
  events: AsyncIterable<TDocumentBlockEvent>,
  digests: Map<string, string>,
  current: TDrillPosition,
): AsyncGenerator<TDocumentBlockEvent> {
  for await (const event of events) {
    if (event.kind === 'row-block') current.model = event.block.model;
    if (event.kind === 'model-end' && event.digest !== undefined) digests.set(event.model, event.digest);
    yield event;
  }
}
