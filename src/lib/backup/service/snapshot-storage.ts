import type { TBackupKey } from '../crypto/keys';
import { allKeys } from '../crypto/keys';
import { BackupError } from '../errors/errors';
import { bufferBody, readObject, type TSnapshotTarget } from '../snapshot/chunk-targets';
import { openManifest, sealManifest, type TChunkObject, type TManifest } from '../snapshot/manifest';
import { shortChunkId, type TChunkFetch } from '../snapshot/snapshot-reader';
import { chunkKey } from '../storage';
import { isManifestName } from '../storage/file-names';
import type { TBackupDeps } from './deps';
import { storageMessage } from './offsite';

function checkedManifestName(name: string): string {
  if (!isManifestName(name)) throw new BackupError('INVALID_INPUT', `Not a snapshot manifest name: ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

/** Stores a sealed manifest in every target (each put atomic). */
export async function putManifest(targets: TSnapshotTarget[], name: string, manifest: TManifest, key: TBackupKey): Promise<Buffer> {
  const sealed = sealManifest(manifest, key);
  await Promise.all(targets.map((target) => target.storage.put(checkedManifestName(name), bufferBody(sealed), { size: sealed.length })));
  return sealed;
}

/** The stored bytes of a manifest, from the first target that has it; FILE_MISSING when none has. */
export async function readManifestBytes(targets: TSnapshotTarget[], name: string): Promise<Buffer> {
  for (const target of targets) {
    try {
      return await readObject(target.storage, checkedManifestName(name));
    } catch (error) {
      if (target.storage.isNotFound(error)) continue;
      throw new BackupError('STORAGE', `Could not read the snapshot's manifest: ${storageMessage(error)}`, { cause: error });
    }
  }
  throw new BackupError(
    'FILE_MISSING',
    `The snapshot's manifest ${name} is not in ${targets.map((t) => t.storage.describe()).join(' nor ')}`,
  );
}

/** Opens a manifest with the key that authenticates it: `preferredKeyId` first, then every configured key. */
export function openManifestWithKeys(
  sealed: Buffer,
  deps: TBackupDeps,
  preferredKeyId: string | null,
): { manifest: TManifest; key: TBackupKey } {
  const keys = allKeys(deps.keyring);
  const ordered = preferredKeyId ? [...keys.filter((k) => k.id === preferredKeyId), ...keys.filter((k) => k.id !== preferredKeyId)] : keys;
  let failure: unknown;
  for (const key of ordered) {
    try {
      return { manifest: openManifest(sealed, key), key };
    } catch (error) {
      if (!(error instanceof BackupError) || error.code !== 'AUTH_FAILED') throw error;
      failure = error;
    }
  }
  throw failure ?? new BackupError('KEY_MISSING', 'No encryption key is configured');
}

/**
 * Fetches chunks from the targets in order: the first that has the chunk
 * serves it. A chunk no target has is FILE_MISSING naming it.
 */
export function chunkFetch(targets: TSnapshotTarget[]): TChunkFetch {
  return async (chunk: TChunkObject) => {
    for (const target of targets) {
      try {
        return await readObject(target.storage, chunkKey(chunk.id));
      } catch (error) {
        if (target.storage.isNotFound(error)) continue;
        throw new BackupError('STORAGE', `Could not read chunk ${shortChunkId(chunk.id)} of the snapshot: ${storageMessage(error)}`, {
          cause: error,
        });
      }
    }
    throw new BackupError('FILE_MISSING', `Chunk ${shortChunkId(chunk.id)} of the snapshot is missing from the storage`);
  };
}
