import { backupRowIsNewer, horizonComparable, rangeKeyOf, rangeStates } from '../export/changed-ranges';
import { copyOutBlocks } from '../export/copy-out';
import type { TBackupHeader } from '../format/document';
import type { TBackupModel } from '../schema/models';
import { indexedEverywhere, type TIndexedChunk, type TSnapshotTarget } from '../snapshot/chunk-targets';
import { chunkObjects, type TManifest, type TManifestChunk, type TSnapshotHorizon } from '../snapshot/manifest';
import type { TSnapshotModel, TSnapshotSegment } from '../snapshot/snapshot-writer';
import type { TExportSession } from './export-rows';

/** The newest completed snapshot, whose unchanged chunks a new one may take over without reading their rows. */
export interface TPreviousSnapshot {
  backupId: string;
  manifest: TManifest;
}

export interface TSegmentPlan {
  session: TExportSession;
  header: TBackupHeader;
  /** This snapshot's horizon (read in its transaction). */
  horizon: TSnapshotHorizon;
  previous: TPreviousSnapshot | null;
  /** The `Backup` model, whose rows say whether the previous snapshot's horizon still holds in this database. */
  backupModel: TBackupModel | undefined;
  indexed: ReadonlyMap<string, TIndexedChunk>;
  targets: TSnapshotTarget[];
}

/**
 * Each model of a snapshot as segments (README, "Snapshots"): when the
 * previous snapshot's horizon still holds (same cluster, same migration,
 * `changed-ranges.ts`), a model keyed by one column is compared range by
 * range with the previous snapshot's chunks, each chunk being the key range
 * from its first row to the next chunk's: an unchanged range whose chunk is
 * still stored everywhere is taken over unread; the rest are read again in
 * runs, each run's new chunks patched against the chunks it replaces. Any
 * other model is read whole. The database is asked lazily, model by model,
 * as the writer reaches it: the export's connection streams one COPY at a time.
 */
export async function snapshotModels(models: TBackupModel[], plan: TSegmentPlan): Promise<TSnapshotModel[]> {
  const previous = (await previousStillHolds(plan)) ? plan.previous : null;
  return models.map((model) => {
    const key = rangeKeyOf(model);
    const keyIndex = key ? model.columns.findIndex((column) => column.name === key.name) : -1;
    const earlier = previous ? comparableModel(previous.manifest, plan.header, model.name) : null;
    return {
      name: model.name,
      keyIndex: keyIndex >= 0 ? keyIndex : null,
      segments:
        earlier && keyIndex >= 0 && previous?.manifest.horizon
          ? changedSegments(model, earlier, previous.manifest.horizon, plan)
          : [{ blocks: copyOutBlocks(plan.session.connection, model, { onRows: plan.session.onRows }), bases: [] }],
    };
  });
}

async function previousStillHolds(plan: TSegmentPlan): Promise<boolean> {
  const horizon = plan.previous?.manifest.horizon;
  if (!plan.previous || !horizon || !plan.backupModel) return false;
  if (plan.previous.manifest.header.migration !== plan.header.migration || !horizonComparable(horizon, plan.horizon)) return false;
  return backupRowIsNewer(plan.session.sql, plan.backupModel, plan.previous.backupId, horizon);
}

/** The previous manifest's chunks of a model whose table is as it was (columns, types, key) and whose every chunk records its first key. */
function comparableModel(manifest: TManifest, header: TBackupHeader, name: string): TManifestChunk[] | null {
  const index = manifest.models.findIndex((model) => model.name === name);
  const [then, now] = [manifest.header.models[index], header.models.find((model) => model.name === name)];
  const chunks = manifest.models[index]?.chunks;
  if (!then || !now || !chunks || chunks.length === 0 || chunks.some((chunk) => !chunk.first)) return null;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
  return same(then.columns, now.columns) && same(then.types, now.types) && same(then.primaryKey, now.primaryKey) ? chunks : null;
}

async function* changedSegments(
  model: TBackupModel,
  chunks: TManifestChunk[],
  earlier: TSnapshotHorizon,
  plan: TSegmentPlan,
): AsyncGenerator<TSnapshotSegment> {
  const { session } = plan;
  const firstKey = (index: number) => chunks[index]?.first?.[0] ?? null;
  const states = await rangeStates(
    session.sql,
    model,
    chunks.slice(1).map((_, index) => firstKey(index + 1) as string),
    earlier,
  );
  const unchanged = (index: number) => {
    const chunk = chunks[index] as TManifestChunk;
    const state = states[index];
    return (
      state !== undefined &&
      !state.changed &&
      state.rows === chunk.rows &&
      indexedEverywhere(chunkObjects(chunk), plan.indexed, plan.targets)
    );
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
