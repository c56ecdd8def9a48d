import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TOperationLock } from '../lock/operation-lock';
import { backupLog } from '../process/log';
import type { TChunkPlace } from '../snapshot/chunk-targets';
import { chunkKey } from '../storage';
import { backupTargets } from './backup-storages';
import { prismaChunkIndex } from './chunk-index';
import type { TBackupDeps } from './deps';
import { takeInventory } from './snapshot-inventory';

export interface TGcResult {
  dryRun: boolean;
  /** Manifests read (in every backend). */
  manifests: number;
  /** Chunks some manifest references. */
  referencedChunks: number;
  /** Unreferenced chunks deleted (or, with dryRun, that would be), counted once per backend. */
  chunksDeleted: number;
  bytesFreed: number;
  /** Per backend: chunks deleted and bytes freed. */
  places: { place: TChunkPlace; where: string; chunksDeleted: number; bytesFreed: number }[];
}

/**
 * Deletes the chunks no manifest references (README, "Snapshots"): after a
 * delete or a prune has removed manifests, and what a failed or interrupted
 * snapshot stored. The caller holds the operation lock, so no snapshot is
 * being written meanwhile; the references come from the manifests in the
 * storage itself, and an unreadable manifest stops everything before any
 * delete (takeInventory). Each chunk leaves the index before the storage, so
 * a crash between the two leaves a chunk the index does not claim (stored
 * again if needed, collected next time), never a claim of a missing chunk.
 */
export async function collectGarbageLocked(options: { dryRun?: boolean }, deps: TBackupDeps, lock: TOperationLock): Promise<TGcResult> {
  const dryRun = options.dryRun === true;
  const targets = backupTargets(deps);
  const inventory = await takeInventory(deps, targets);
  const index = prismaChunkIndex(deps.db.prisma);
  const result: TGcResult = {
    dryRun,
    manifests: inventory.manifests.length,
    referencedChunks: inventory.referenced.size,
    chunksDeleted: 0,
    bytesFreed: 0,
    places: [],
  };
  for (const target of targets) {
    const stored = inventory.stored.get(target.place) ?? new Map<string, number>();
    const unreferenced = [...stored.entries()].filter(([id]) => !inventory.referenced.has(id));
    const summary = { place: target.place, where: target.storage.describe(), chunksDeleted: 0, bytesFreed: 0 };
    for (const [id, size] of unreferenced) {
      if (!dryRun) {
        await lock.assertHeld('deleting unreferenced chunks');
        await index.forget([id]);
        await target.storage.delete(chunkKey(id));
      }
      summary.chunksDeleted++;
      summary.bytesFreed += size;
    }
    result.places.push(summary);
    result.chunksDeleted += summary.chunksDeleted;
    result.bytesFreed += summary.bytesFreed;
  }
  if (!dryRun) {
    await writeAuditBestEffort(
      deps.db.prisma,
      deps.audit,
      {
        action: 'backup.gc',
        outcome: 'SUCCESS',
        details: { manifests: result.manifests, chunksDeleted: result.chunksDeleted, bytesFreed: result.bytesFreed },
      },
      deps.log ?? backupLog,
    );
  }
  return result;
}
