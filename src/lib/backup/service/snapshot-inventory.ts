import { BackupError, publicMessage } from '../errors/errors';
import type { TChunkPlace, TSnapshotTarget } from '../snapshot/chunk-targets';
import { manifestObjects } from '../snapshot/manifest';
import { chunkIdOf } from '../storage';
import { isManifestName } from '../storage/file-names';
import type { TBackupDeps } from './deps';
import { storageMessage } from './offsite';
import { openManifestWithKeys, readManifestBytes } from './snapshot-storage';

/** A chunk object some manifest references (a chunk or a chain's), as that manifest records it. */
export interface TReferencedChunk {
  keyId: string;
  storedBytes: number;
  plainBytes: number;
  /** The object it is a patch against; null for a whole chunk. */
  parentId: string | null;
}

/** What the storage holds for snapshots, read from the storage alone (never the database). */
export interface TSnapshotInventory {
  /** Every manifest found, with the backend it was found in. */
  manifests: { name: string; place: TChunkPlace }[];
  /** Every chunk any manifest references. */
  referenced: Map<string, TReferencedChunk>;
  /** Per backend, every chunk stored there and its size. */
  stored: Map<TChunkPlace, Map<string, number>>;
}

/**
 * Reads every manifest in every backend and lists every stored chunk. A
 * manifest that cannot be read (a key no longer configured, damage) stops
 * the inventory: without it, nobody knows which chunks it needs, and a
 * collection that went on could delete them.
 */
export async function takeInventory(deps: TBackupDeps, targets: TSnapshotTarget[]): Promise<TSnapshotInventory> {
  const inventory: TSnapshotInventory = { manifests: [], referenced: new Map(), stored: new Map() };
  for (const target of targets) {
    const chunks = new Map<string, number>();
    try {
      for await (const object of target.storage.list()) {
        if (isManifestName(object.key)) inventory.manifests.push({ name: object.key, place: target.place });
      }
      for await (const object of target.storage.list('chunks')) {
        const id = chunkIdOf(object.key);
        if (id) chunks.set(id, object.size);
      }
    } catch (error) {
      throw new BackupError('STORAGE', `Could not list ${target.storage.describe()}: ${storageMessage(error)}`, { cause: error });
    }
    inventory.stored.set(target.place, chunks);
  }
  for (const { name, place } of inventory.manifests) {
    const target = targets.find((candidate) => candidate.place === place) as TSnapshotTarget;
    let opened: ReturnType<typeof openManifestWithKeys>;
    try {
      opened = openManifestWithKeys(await readManifestBytes([target], name), deps, null);
    } catch (error) {
      throw new BackupError(
        error instanceof BackupError ? error.code : 'STORAGE',
        `The snapshot manifest ${name} in ${target.storage.describe()} cannot be read (${publicMessage(error)}), so which chunks it needs is unknown; nothing was deleted or changed. Configure the key it was made with (BACKUP_ENCRYPTION_KEYS_PREVIOUS), or delete the manifest if the snapshot is not wanted.`,
        { cause: error },
      );
    }
    for (const object of manifestObjects(opened.manifest).values()) {
      inventory.referenced.set(object.id, {
        keyId: opened.manifest.keyId,
        storedBytes: object.stored,
        plainBytes: object.bytes,
        parentId: object.parentId,
      });
    }
  }
  return inventory;
}
