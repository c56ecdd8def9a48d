import {
  backupRowIsNewer,
  databaseHorizon,
  horizonComparable,
  rangeKeyOf,
  rangeStates,
  readSnapshotHorizon,
  type TRangeState,
} from '../export/changed-ranges';
import { copyOutBlocks } from '../export/copy-out';
import { readLatestMigration } from '../export/read-snapshot';
import type { TBackupModel } from '../schema/models';
import { indexedEverywhere, type TIndexedChunk, type TSnapshotTarget } from '../snapshot/chunk-targets';
import { chunkObjects, type TManifest, type TManifestChunk, type TSnapshotHorizon } from '../snapshot/manifest';
import type { TSnapshotModel, TSnapshotSegment } from '../snapshot/snapshot-writer';
import type { TSql } from '../sql/sql';
import type { TExportSession } from './export-rows';

/** The newest completed snapshot, whose unchanged chunks a new one may take over without reading their rows. */
export interface TPreviousSnapshot {
  backupId: string;
  manifest: TManifest;
}

/** What changed since the previous snapshot, surveyed at the start of the new one's transaction. */
export interface TChangeSurvey {
  /** This snapshot's horizon. */
  horizon: TSnapshotHorizon;
  /** Per model compared with the previous snapshot: its previous chunks and the state of each one's key range now. */
  compared: Map<string, { chunks: TManifestChunk[]; states: TRangeState[] }>;
  /** Row counts the survey took (the header need not count these models again). */
  counts: Map<string, number>;
}

/**
 * Surveys the database in the snapshot's transaction (README, "Snapshots"):
 * when the previous snapshot's horizon still holds (same cluster, migration
 * and collation, changed-ranges.ts), each model keyed by one column is
 * compared range by range with the previous snapshot's chunks, each chunk
 * being the key range from its first row to the next chunk's. One scan per
 * model on the server, which also gives the model's row count.
 */
export async function surveyChanges(
  sql: TSql,
  models: TBackupModel[],
  previous: TPreviousSnapshot | null,
  backupModel: TBackupModel | undefined,
  databaseXmin: string | null,
): Promise<TChangeSurvey> {
  const horizon = databaseHorizon(await readSnapshotHorizon(sql), databaseXmin);
  const survey: TChangeSurvey = { horizon, compared: new Map(), counts: new Map() };
  const earlier = previous?.manifest.horizon;
  if (!previous || !earlier || !backupModel || !horizonComparable(earlier, horizon)) return survey;
  if (previous.manifest.header.migration !== (await readLatestMigration(sql))) return survey;
  if (!(await backupRowIsNewer(sql, backupModel, previous.backupId, earlier))) return survey;
  for (const model of models) {
    const chunks = comparableChunks(previous.manifest, model);
    if (!chunks) continue;
    const bounds = chunks.slice(1).map((chunk) => chunk.first?.[0] as string);
    const states = await rangeStates(sql, model, bounds, earlier);
    survey.compared.set(model.name, { chunks, states });
    survey.counts.set(
      model.name,
      states.reduce((sum, state) => sum + state.rows, 0),
    );
  }
  return survey;
}

/**
 * The previous manifest's chunks of a model keyed by one column whose table
 * is as it was (columns, types, key), if every chunk records its first key.
 */
function comparableChunks(manifest: TManifest, model: TBackupModel): TManifestChunk[] | null {
  const index = manifest.models.findIndex((candidate) => candidate.name === model.name);
  const then = manifest.header.models[index];
  const chunks = manifest.models[index]?.chunks;
  if (!rangeKeyOf(model) || !then || !chunks || chunks.length === 0 || chunks.some((chunk) => !chunk.first)) return null;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  return same(
    then.columns,
    model.columns.map((column) => column.name),
  ) &&
    same(
      then.types,
      model.columns.map((column) => column.sqlType),
    ) &&
    same(then.primaryKey, model.rowKey)
    ? chunks
    : null;
}

/**
 * Each model of a snapshot as segments: a compared model's unchanged ranges
 * whose chunks are still stored everywhere are taken over unread, the rest
 * read again in runs, each run's new chunks patched against the chunks it
 * replaces; any other model is read whole. Rows are read lazily, model by
 * model, as the writer reaches them: the export's connection streams one
 * COPY at a time.
 */
export function snapshotModels(
  models: TBackupModel[],
  survey: TChangeSurvey,
  session: TExportSession,
  indexed: ReadonlyMap<string, TIndexedChunk>,
  targets: TSnapshotTarget[],
): TSnapshotModel[] {
  return models.map((model) => {
    const key = rangeKeyOf(model);
    const keyIndex = key ? model.columns.findIndex((column) => column.name === key.name) : -1;
    const compared = survey.compared.get(model.name);
    return {
      name: model.name,
      keyIndex: keyIndex >= 0 ? keyIndex : null,
      segments: compared
        ? changedSegments(model, compared.chunks, compared.states, session, (chunk) =>
            indexedEverywhere(chunkObjects(chunk), indexed, targets),
          )
        : [{ blocks: copyOutBlocks(session.connection, model, { onRows: session.onRows }), bases: [] }],
    };
  });
}

async function* changedSegments(
  model: TBackupModel,
  chunks: TManifestChunk[],
  states: TRangeState[],
  session: TExportSession,
  stored: (chunk: TManifestChunk) => boolean,
): AsyncGenerator<TSnapshotSegment> {
  const firstKey = (index: number) => chunks[index]?.first?.[0] ?? null;
  const unchanged = (index: number) => {
    const chunk = chunks[index] as TManifestChunk;
    const state = states[index];
    return state !== undefined && !state.changed && state.rows === chunk.rows && stored(chunk);
  };
  for (let index = 0; index < chunks.length; ) {
    if (unchanged(index)) {
      const chunk = chunks[index] as TManifestChunk;
      await session.onRows(model.name, chunk.rows);
      yield { reuse: chunk };
      index++;
      continue;
    }
    let end = index + 1;
    while (end < chunks.length && !unchanged(end)) end++;
    const range = { from: index === 0 ? null : firstKey(index), to: end === chunks.length ? null : firstKey(end) };
    yield { blocks: copyOutBlocks(session.connection, model, { onRows: session.onRows, range }), bases: chunks.slice(index, end) };
    index = end;
  }
}
