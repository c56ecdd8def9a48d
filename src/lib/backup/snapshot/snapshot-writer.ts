import { markHandled } from '@/lib/async/mark-handled';
import { chunkIdFor, chunkIdKeyOf } from '../crypto/chunk-id';
import type { TBackupKey } from '../crypto/keys';
import { sealBuffer } from '../crypto/sealed-buffer';
import type { CodecPool } from '../format/codec-pool';
import { transferablesOf } from '../format/codec-tasks';
import { ContentDigest } from '../format/content-digest';
import type { TModelBlocks } from '../format/copy-document-writer';
import { chunkKey } from '../storage';
import { bufferBody, readObject, type TIndexedChunk, type TSnapshotTarget } from './chunk-targets';
import { RowChunker, type TChunkSizes, type TRowChunk } from './chunker';
import type { TManifestChunk, TManifestModel } from './manifest';

export interface TSnapshotWriteOptions {
  pool: CodecPool;
  /** Seals the chunks; the chunk ids are keyed with a key derived from it. */
  key: TBackupKey;
  /** Every backend the snapshot goes to; a chunk is stored in each that lacks it. */
  targets: TSnapshotTarget[];
  /**
   * The chunk index as loaded before the export (TChunkIndex.load): the
   * chunks recorded as stored, and where. Read up front, and the new chunks
   * recorded by the caller afterwards, because the export's transaction may
   * hold the only connection (an embedded database).
   */
  indexed: ReadonlyMap<string, TIndexedChunk>;
  /**
   * Per chunk id, its content-digest sum as an earlier manifest recorded it:
   * a chunk found there needs no hashing of its rows. Only sums read from an
   * authenticated manifest belong here.
   */
  knownSums?: ReadonlyMap<string, string>;
  /** Chunk sizes (default CHUNK_SIZES). */
  chunkSizes?: TChunkSizes;
  /** gzip level of new chunks (default 6, as full backups). */
  gzipLevel?: number;
  /** COPY blocks converted at once; default twice the pool's workers. */
  inFlight?: number;
  /** Told the bytes of each object newly stored (for progress). */
  onStored?: (bytes: number) => void;
}

/** What writing a snapshot's chunks did. */
export interface TSnapshotWritten {
  /** Per model, in the order given: its digest and chunks (the manifest's `models`). */
  models: TManifestModel[];
  /** Plaintext bytes of every chunk the snapshot references (each time it is referenced). */
  chunkBytes: number;
  /** Bytes of the chunk objects this snapshot stored (once per chunk, whatever the number of backends). */
  storedBytes: number;
  chunksNew: number;
  chunksReused: number;
  /** Chunks this snapshot stored in every target, for the caller to record in the index. */
  stored: Omit<TIndexedChunk, 'places'>[];
}

/** How many chunks are hashed, packed and stored at once. */
const CHUNKS_IN_FLIGHT = 4;

/**
 * Writes the chunks of a snapshot (README, "Snapshots"): each model's COPY
 * blocks become row lines in the codec workers, the lines are cut into
 * content-defined chunks (chunker.ts), and each chunk is named by the HMAC
 * of its plaintext. A chunk the index already records in every target is
 * only referenced: not compressed, sealed or uploaded again, and its digest
 * sum comes from `knownSums` when an earlier manifest gave it. A new chunk is
 * gzipped in a worker, sealed and stored in each target (atomic puts).
 * Returns the manifest's models and the chunks stored; the caller records
 * those in the index (a crash before that leaves chunks the index does not
 * claim: stored again if needed, collected by gc) and stores the manifest.
 */
export async function writeSnapshotChunks(models: Iterable<TModelBlocks>, options: TSnapshotWriteOptions): Promise<TSnapshotWritten> {
  const writer = new ChunkWriter(options);
  const written: TManifestModel[] = [];
  for (const model of models) written.push(await writer.writeModel(model));
  return { models: written, ...writer.stats, stored: writer.stored };
}

class ChunkWriter {
  readonly stats = { chunkBytes: 0, storedBytes: 0, chunksNew: 0, chunksReused: 0 };
  readonly stored: Omit<TIndexedChunk, 'places'>[] = [];
  private readonly idKey;
  /** This snapshot's chunks so far: a chunk repeated within the snapshot is packed once. */
  private readonly seen = new Map<string, Promise<TManifestChunk>>();

  constructor(private readonly options: TSnapshotWriteOptions) {
    this.idKey = chunkIdKeyOf(options.key);
  }

  async writeModel(model: TModelBlocks): Promise<TManifestModel> {
    const { pool } = this.options;
    const inFlight = Math.max(1, this.options.inFlight ?? 2 * pool.size);
    const chunker = new RowChunker(this.options.chunkSizes);
    const conversions: Promise<Uint8Array>[] = [];
    const chunks: Promise<TManifestChunk>[] = [];
    const take = async (rows: Uint8Array) => {
      for (const chunk of chunker.push(rows)) await this.add(chunk, chunks);
    };
    try {
      for await (const copy of model.blocks) {
        if (copy.length === 0) continue;
        const conversion = pool.run('copyToRows', { copy }, transferablesOf(copy)).then((output) => output.out);
        conversions.push(markHandled(conversion));
        while (conversions.length >= inFlight) await take(await (conversions.shift() as Promise<Uint8Array>));
      }
      while (conversions.length > 0) await take(await (conversions.shift() as Promise<Uint8Array>));
      const last = chunker.finish();
      if (last) await this.add(last, chunks);
      const entries = await Promise.all(chunks);
      const digest = new ContentDigest();
      for (const entry of entries) digest.addSum(Buffer.from(entry.sum, 'hex'), entry.rows);
      return { name: model.name, digest: digest.hex(), chunks: entries };
    } finally {
      // On a failure, the conversions and chunks still running must not end as unhandled rejections.
      for (const pending of conversions) markHandled(pending);
      for (const pending of chunks) markHandled(pending);
    }
  }

  /** Starts packing `chunk`, waiting first while too many chunks are in flight. */
  private async add(chunk: TRowChunk, chunks: Promise<TManifestChunk>[]): Promise<void> {
    const running = chunks.slice(-CHUNKS_IN_FLIGHT);
    if (running.length === CHUNKS_IN_FLIGHT) await running[0];
    this.stats.chunkBytes += chunk.bytes.length;
    const id = chunkIdFor(this.idKey, chunk.bytes);
    let entry = this.seen.get(id);
    if (entry) this.stats.chunksReused++;
    else {
      entry = markHandled(this.pack(id, chunk));
      this.seen.set(id, entry);
    }
    chunks.push(entry);
  }

  private async pack(id: string, chunk: TRowChunk): Promise<TManifestChunk> {
    const { knownSums } = this.options;
    const plainBytes = chunk.bytes.length;
    const entry = (stored: number, sum: string): TManifestChunk => ({ id, rows: chunk.rows, bytes: plainBytes, stored, sum });
    const indexed = this.options.indexed.get(id);
    const missing = this.options.targets.filter((target) => !indexed?.places.includes(target.place));
    if (indexed && missing.length === 0) {
      this.stats.chunksReused++;
      return entry(indexed.storedBytes, knownSums?.get(id) ?? (await this.digestOnly(chunk)));
    }
    if (indexed) {
      // Stored in some backends only (off-site storage configured since): copy the stored object as it is.
      this.stats.chunksReused++;
      const source = this.options.targets.find((target) => indexed.places.includes(target.place));
      const sealed = source ? await readObject(source.storage, chunkKey(id)) : null;
      if (sealed) {
        await this.store(id, sealed, missing);
        this.stored.push({ id, keyId: this.options.key.id, storedBytes: sealed.length, plainBytes });
        return entry(sealed.length, knownSums?.get(id) ?? (await this.digestOnly(chunk)));
      }
    }
    const packed = await this.runPack(chunk, this.options.gzipLevel ?? 6);
    if (!packed.gz) throw new Error('packChunk returned no gzip for a chunk to store');
    const sealed = sealBuffer(this.options.key, packed.gz);
    await this.store(id, sealed, this.options.targets);
    this.stats.chunksNew++;
    this.stats.storedBytes += sealed.length;
    this.options.onStored?.(sealed.length);
    this.stored.push({ id, keyId: this.options.key.id, storedBytes: sealed.length, plainBytes });
    return entry(sealed.length, Buffer.from(packed.digestSum).toString('hex'));
  }

  private async digestOnly(chunk: TRowChunk): Promise<string> {
    return Buffer.from((await this.runPack(chunk, null)).digestSum).toString('hex');
  }

  /**
   * Packs a chunk in a worker. Its bytes move to the worker when the chunk
   * owns its whole buffer (a chunk joined from several blocks), instead of
   * being copied: after this, `chunk.bytes` is empty.
   */
  private runPack(chunk: TRowChunk, gzipLevel: number | null) {
    return this.options.pool.run('packChunk', { rows: chunk.bytes, gzipLevel }, transferablesOf(chunk.bytes));
  }

  private async store(id: string, sealed: Buffer, targets: TSnapshotTarget[]): Promise<void> {
    await Promise.all(targets.map((target) => target.storage.put(chunkKey(id), bufferBody(sealed), { size: sealed.length })));
  }
}
