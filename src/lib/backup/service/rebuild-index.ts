import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import type { TChunkPlace } from '../snapshot/chunk-targets';
import { backupTargets } from './backup-storages';
import type { TBackupDeps } from './deps';
import { takeInventory } from './snapshot-inventory';

export interface TRebuildIndexResult {
  manifests: number;
  /** Chunks now indexed: referenced by a manifest and stored in at least one backend. */
  chunksIndexed: number;
  /** Chunks referenced by a manifest but stored in no backend: the snapshots listing them cannot be restored (verify names them). */
  chunksMissing: number;
  /** Chunks stored but referenced by no manifest (for `gc`). */
  chunksUnreferenced: number;
}

/**
 * Rebuilds the chunk index (`BackupChunk`) from the storage alone: the
 * chunks some manifest references, in the backends that hold them (disaster
 * recovery must not need the database's word for what is stored). Runs under
 * the operation lock, in one transaction: a snapshot sees the old index or
 * the new one.
 */
export async function rebuildIndexLocked(deps: TBackupDeps, lock: TOperationLock): Promise<TRebuildIndexResult> {
  const targets = backupTargets(deps);
  const inventory = await takeInventory(deps, targets);
  const rows = [...inventory.referenced.entries()].flatMap(([id, chunk]) => {
    const places = targets.map((target) => target.place).filter((place) => inventory.stored.get(place)?.has(id));
    if (places.length === 0) return [];
    const flag = (place: TChunkPlace) => places.includes(place);
    return [{ id, ...chunk, storedLocally: flag('local'), storedOffsite: flag('offsite') }];
  });
  const stored = new Set([...inventory.stored.values()].flatMap((chunks) => [...chunks.keys()]));
  await lock.assertHeld('rebuilding the chunk index');
  await deps.db.prisma.$transaction([deps.db.prisma.backupChunk.deleteMany({}), deps.db.prisma.backupChunk.createMany({ data: rows })]);
  const result: TRebuildIndexResult = {
    manifests: inventory.manifests.length,
    chunksIndexed: rows.length,
    chunksMissing: inventory.referenced.size - rows.length,
    chunksUnreferenced: [...stored].filter((id) => !inventory.referenced.has(id)).length,
  };
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    { action: 'backup.index.rebuilt', outcome: 'SUCCESS', details: { ...result } },
    deps.log ?? backupLog,
  );
  return result;
}
