import { createHash } from 'node:crypto';
import { BackupError } from '../errors/errors';
import { readDatabaseXmin } from '../export/changed-ranges';
import { sharedCodecPool } from '../format/codec-pool';
import { updateProgress } from '../process/progress';
import type { TChunkPlace } from '../snapshot/chunk-targets';
import { manifestChunks, manifestMismatch, newManifest } from '../snapshot/manifest';
import { snapshotDocumentBytes } from '../snapshot/snapshot-reader';
import { writeSnapshotChunks } from '../snapshot/snapshot-writer';
import { sqlOf } from '../sql/sql';
import { StorageError } from '../storage';
import type { TBackupOutput } from './backup-output';
import { backupTargets } from './backup-storages';
import { prismaChunkIndex } from './chunk-index';
import { loadModels, reportProgress, type TBackupDeps } from './deps';
import { exportRows } from './export-rows';
import { storageMessage } from './offsite';
import { snapshotModels, surveyChanges, type TChangeSurvey, type TPreviousSnapshot } from './snapshot-segments';
import { chunkFetch, openManifestWithKeys, putManifest, readManifestBytes } from './snapshot-storage';

/**
 * A snapshot (README, "Snapshots"): the rows cut into content-defined
 * chunks, each stored once in every configured backend, then the manifest
 * that lists them, stored last (atomic puts) and only while the lock is
 * provably held. Until the row says COMPLETED the manifest is not a backup;
 * on failure it is removed, and chunks no manifest references are left for
 * `erp-backup gc`.
 */
export function snapshotOutput(deps: TBackupDeps, backup: { id: string; filename: string }): TBackupOutput {
  const targets = backupTargets(deps);
  return {
    async write(models, partial, progress, lock) {
      const key = deps.keyring.current;
      const previous = await previousSnapshot(deps, key.id);
      const knownSums = new Map(previous ? manifestChunks(previous.manifest).map((chunk) => [chunk.id, chunk.sum]) : []);
      const index = prismaChunkIndex(deps.db.prisma);
      // Read before the export and written after it: on an embedded database its transaction holds the only connection.
      const indexed = await index.load(key.id);
      const backupModel = (await loadModels(deps)).find((model) => model.name === 'Backup');
      // Before the export's snapshot, on a connection of its own (changed-ranges.ts); without it the snapshot's own bound serves.
      const databaseXmin = await readDatabaseXmin(sqlOf(deps.db.prisma)).catch(() => null);
      let survey: TChangeSurvey | undefined;
      const { header, horizon, written } = await exportRows(
        deps,
        models,
        partial,
        progress,
        lock,
        async (header, _blocks, session) => {
          // Set by the survey below, which exportRows runs first in the same transaction.
          const surveyed = survey as TChangeSurvey;
          const written = await writeSnapshotChunks(snapshotModels(models, surveyed, session, indexed, targets), {
            pool: sharedCodecPool(deps.workers),
            key,
            targets,
            indexed,
            knownSums,
            fetch: chunkFetch(targets),
            chunkSizes: deps.chunkSizes,
            maxChain: deps.maxPatchChain,
            onStored: (bytes) => updateProgress(progress, { bytesWritten: progress.bytesWritten + bytes }),
          }).catch((error: unknown) => {
            throw storingFailure(error);
          });
          return { header, horizon: surveyed.horizon, written };
        },
        async (sql) => {
          survey = await surveyChanges(sql, models, previous, backupModel, databaseXmin);
          return survey.counts;
        },
      );
      await reportProgress(deps, progress, { phase: 'finishing' });
      await index.record(
        written.stored,
        targets.map((target) => target.place),
      );
      const manifest = newManifest(key.id, header, horizon, written.models);
      const mismatch = manifestMismatch(manifest);
      if (mismatch) throw new BackupError('INTERNAL', `The snapshot does not add up, so it was not stored: ${mismatch}`);
      await lock.assertHeld('storing the snapshot’s manifest');
      const sealed = await putManifest(targets, backup.filename, manifest, key).catch((error: unknown) => {
        throw storingFailure(error);
      });
      const places = targets.map((target) => target.place);
      return {
        header,
        row: {
          sizeBytes: BigInt(sealed.length),
          sha256: createHash('sha256').update(sealed).digest('hex'),
          modelDigests: Object.fromEntries(written.models.map((model) => [model.name, model.digest])),
          logicalBytes: BigInt(snapshotDocumentBytes(manifest)),
          storedBytes: BigInt(written.storedBytes + sealed.length),
          chunksNew: written.chunksNew,
          chunksReused: written.chunksReused,
          location: locationOf(places),
          objectKey: places.includes('offsite') ? backup.filename : null,
          uploadError: null,
        },
        details: {
          kind: 'INCREMENTAL',
          chunksNew: written.chunksNew,
          chunksReused: written.chunksReused,
          chunksPatched: written.chunksPatched,
          rowsRead: written.rowsRead,
          storedBytes: written.storedBytes + sealed.length,
        },
      };
    },
    async completed() {},
    async removeTemporary() {},
    async removeOutputs() {
      await Promise.all(
        targets.map((target) =>
          target.storage
            .delete(backup.filename)
            .catch((error: unknown) =>
              deps.log?.(
                `The manifest of failed snapshot ${backup.id} in ${target.storage.describe()} could not be deleted: ${storageMessage(error)}`,
              ),
            ),
        ),
      );
    },
  };
}

/**
 * A storage's failure while storing the snapshot, as the backup reports it: a
 * full disk or quota as NO_SPACE, anything else as STORAGE, in the words of
 * the storage (which name the location, never a secret). Left as it is, a refused or reset S3 connection would read as the
 * database's connection lost (backupFailure looks for socket error codes).
 */
function storingFailure(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  return new BackupError(error.code === 'NO_SPACE' ? 'NO_SPACE' : 'STORAGE', `Storing the snapshot failed: ${storageMessage(error)}`, {
    cause: error,
  });
}

function locationOf(places: TChunkPlace[]): 'LOCAL' | 'CLOUD' | 'BOTH' {
  if (places.includes('local') && places.includes('offsite')) return 'BOTH';
  return places.includes('offsite') ? 'CLOUD' : 'LOCAL';
}

/**
 * The newest completed snapshot sealed with the same key, its manifest read
 * (and authenticated): the chunks a new snapshot shares with it need no
 * hashing, and its unchanged key ranges no reading (snapshot-segments.ts).
 * Without one (or if it cannot be read) every row is read and every chunk
 * hashed, which only costs time.
 */
async function previousSnapshot(deps: TBackupDeps, keyId: string): Promise<TPreviousSnapshot | null> {
  const previous = await deps.db.prisma.backup.findFirst({
    where: { kind: 'INCREMENTAL', status: 'COMPLETED', keyId },
    orderBy: { createdAt: 'desc' },
  });
  if (!previous) return null;
  try {
    const { manifest } = openManifestWithKeys(await readManifestBytes(backupTargets(deps), previous.filename), deps, keyId);
    return { backupId: previous.id, manifest };
  } catch (error) {
    deps.log?.(`The previous snapshot's manifest could not be read, so every row is read and hashed again: ${String(error)}`);
    return null;
  }
}
