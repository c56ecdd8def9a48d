import { BackupError } from '../errors/errors';
import type { TDocumentEvent } from '../format/document-reader';
import { matchLegacyTable } from '../restore/legacy';
import { HISTORY_MODELS, type TBackupModel } from '../schema/models';
import { loadModels, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';

/**
 * The models a restore replaces: the file's models, plus every model that
 * references them (their rows would point at replaced rows), never the
 * backup module's own history. For a full backup that is every table but
 * Backup and AuditLog.
 */
export function restoreSet(all: TBackupModel[], inFile: ReadonlySet<string>): TBackupModel[] {
  const restorable = all.filter((model) => !HISTORY_MODELS.has(model.name));
  const chosen = new Set(restorable.filter((model) => inFile.has(model.name)).map((model) => model.name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const model of restorable) {
      if (!chosen.has(model.name) && model.references.some((name) => chosen.has(name))) {
        chosen.add(model.name);
        grew = true;
      }
    }
  }
  if (chosen.size === 0) throw new BackupError('NOT_RESTORABLE', 'The backup contains no model of the current schema: nothing to restore');
  return restorable.filter((model) => chosen.has(model.name));
}

/** The model names a file holds, from its first event (the header, or an earlier-service document). */
export function modelsInFile(first: TDocumentEvent, all: TBackupModel[]): Set<string> {
  const names = new Set<string>();
  if (first.kind === 'header') for (const model of first.header.models) names.add(model.name);
  if (first.kind === 'legacy') {
    const tables = (first.document as { tables?: Record<string, unknown> }).tables ?? {};
    for (const name of Object.keys(tables)) {
      const model = matchLegacyTable(name, all);
      if (model) names.add(model.name);
    }
  }
  return names;
}

/** What a restore of a recorded backup will do, said before it is confirmed. */
export interface TRestorePlan {
  backupId: string;
  /** Tables whose rows are replaced by the backup's, with the number of rows the backup holds for each. */
  replaced: { model: string; rows: number | null }[];
  /**
   * Tables emptied although the backup has no rows for them: they reference
   * a replaced table (a `--models` backup), or did not exist when it was made.
   */
  emptied: string[];
  /** Rows the restore writes: the sum over `replaced`, the number the result reports as `recordsRestored`. */
  rowsToRestore: number | null;
  /** Rows of the backup module's own history (Backup, AuditLog) in the file: kept as they are now, not restored. */
  historyRowsKept: number;
  /** Tables in the backup that the current schema no longer has: their rows are not restored. */
  notInSchema: string[];
  /** Whether the restore replaces every table but the history (a full backup of the current schema). */
  replacesEverything: boolean;
}

/**
 * Works out a restore from the backup's row (its recorded tables and row
 * counts) and the current schema, without reading the file, so the dialog
 * can say which tables will be emptied before anyone confirms.
 */
export async function planRestore(id: string, deps: TBackupDeps): Promise<TRestorePlan> {
  const row = await findBackupRow(deps, id);
  if (row.status !== 'COMPLETED')
    throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}; only COMPLETED backups can be restored`);
  const all = await loadModels(deps, { ignoreUnplaced: true });
  const counts = (row.rowCounts ?? null) as Record<string, number> | null;
  const inFile = new Set(counts ? Object.keys(counts) : row.models);
  const models = restoreSet(all, inFile);
  const replaced = models
    .filter((model) => inFile.has(model.name))
    .map((model) => ({ model: model.name, rows: counts?.[model.name] ?? null }));
  const known = new Set(all.map((model) => model.name));
  return {
    backupId: id,
    replaced,
    emptied: models.filter((model) => !inFile.has(model.name)).map((model) => model.name),
    rowsToRestore: counts ? replaced.reduce((sum, entry) => sum + (entry.rows ?? 0), 0) : null,
    historyRowsKept: [...HISTORY_MODELS].reduce((sum, name) => sum + (counts?.[name] ?? 0), 0),
    notInSchema: [...inFile].filter((name) => !known.has(name) && !HISTORY_MODELS.has(name)),
    replacesEverything:
      models.every((model) => inFile.has(model.name)) && models.length === all.filter((m) => !HISTORY_MODELS.has(m.name)).length,
  };
}
