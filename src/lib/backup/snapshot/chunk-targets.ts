import { Readable } from 'node:stream';
import type { BackupStorage } from '../storage';

/** Where a backend is, as the chunk index records it: BACKUP_DIR or the off-site storage. */
export type TChunkPlace = 'local' | 'offsite';

/** One backend a snapshot's objects go to. Every snapshot is stored whole in each. */
export interface TSnapshotTarget {
  place: TChunkPlace;
  storage: BackupStorage;
}

/** A chunk the index knows to be stored. */
export interface TIndexedChunk {
  id: string;
  keyId: string;
  storedBytes: number;
  plainBytes: number;
  /** The chunk its stored object is a patch against (format/chunk-patch.ts); null for a whole chunk. */
  parentId: string | null;
  /** The places it is stored in. */
  places: TChunkPlace[];
}

/**
 * The index of stored chunks (the `BackupChunk` table): how a snapshot knows,
 * without asking the storage, that a chunk need not be stored again. It is
 * only ever a cache of what the storage holds (`erp-backup rebuild-index`
 * rebuilds it from the storage), so it must never claim a chunk the storage
 * lacks: a chunk is recorded only after it is stored, and forgotten before
 * it is deleted.
 */
export interface TChunkIndex {
  /** Every chunk recorded for the key `keyId`. */
  load(keyId: string): Promise<Map<string, TIndexedChunk>>;
  /** Records chunks as stored in `places` (beside the places already recorded). */
  record(chunks: Omit<TIndexedChunk, 'places'>[], places: readonly TChunkPlace[]): Promise<void>;
  /** Forgets chunks (before they are deleted from the storage). */
  forget(ids: readonly string[]): Promise<void>;
}

/** Whether the index records every one of `objects` in every target (so a manifest may reference them as they are). */
export function indexedEverywhere(
  objects: readonly { id: string }[],
  indexed: ReadonlyMap<string, TIndexedChunk>,
  targets: readonly TSnapshotTarget[],
): boolean {
  return objects.every((object) => {
    const chunk = indexed.get(object.id);
    return chunk !== undefined && targets.every((target) => chunk.places.includes(target.place));
  });
}

/** A put body that can be opened again, so `withRetries` may retry the put. */
export function bufferBody(bytes: Buffer): () => Readable {
  return () => Readable.from([bytes]);
}

/** Reads a whole (small) stored object into memory. */
export async function readObject(storage: BackupStorage, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of await storage.get(key)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
