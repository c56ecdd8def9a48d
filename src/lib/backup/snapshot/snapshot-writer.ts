import { markHandled } from '@/lib/async/mark-handled';
import { chunkIdFor, chunkIdKeyOf } from '../crypto/chunk-id';
import type { TBackupKey } from '../crypto/keys';
import { sealBuffer } from '../crypto/sealed-buffer';
import { BackupError } from '../errors/errors';
import type { CodecPool } from '../format/codec-pool';
import { transferablesOf } from '../format/codec-tasks';
import { ContentDigest } from '../format/content-digest';
import { chunkKey } from '../storage';
import { bufferBody, indexedEverywhere, readObject, type TIndexedChunk, type TSnapshotTarget } from './chunk-targets';
import { RowChunker, type TChunkSizes, type TRowChunk } from './chunker';
import { chunkObjects, type TChunkObject, type TManifestChunk, type TManifestModel } from './manifest';
import { readChunkRows, shortChunkId, type TChunkFetch } from './snapshot-reader';

/**
 * A stretch of a model's rows, in key order: a chunk of the previous
 * snapshot whose rows did not change (referenced as it is), or rows read
 * from the database, cut into chunks of their own. `bases` are the previous
 * snapshot's chunks for the same key range: a new chunk may be stored as a
 * patch against one of them.
 */
export type TSnapshotSegment = { reuse: TManifestChunk } | { blocks: AsyncIterable<Uint8Array>; bases: TManifestChunk[] };

/** One model of a snapshot. */
export interface TSnapshotModel {
  name: string;
  /** Position of the key among a row's values when the model is keyed by one column: each chunk records its first row's key. */
  keyIndex: number | null;
  segments: AsyncIterable<TSnapshotSegment> | Iterable<TSnapshotSegment>;
}

/**
 * Longest chain of objects a patched chunk may need (restore reads them
 * all): one more, and the chunk is stored whole. A chunk edited every day
 * stays patched for a month; one edited every hour is stored whole again
 * about every day and a half.
 */
export const MAX_CHAIN = 32;

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
  /** Reads stored chunk objects: a changed chunk's base, to store a patch against it. */
  fetch: TChunkFetch;
  /** Chunk sizes (default CHUNK_SIZES). */
  chunkSizes?: TChunkSizes;
  /** Longest chain a patched chunk may need (default MAX_CHAIN). */
  maxChain?: number;
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
  /** New chunks stored as patches (counted in chunksNew too). */
  chunksPatched: number;
  /** Rows read from the database (the rest were taken over from the previous snapshot unread). */
  rowsRead: number;
  /** Chunks this snapshot stored in every target, for the caller to record in the index. */
  stored: Omit<TIndexedChunk, 'places'>[];
}

/** How many chunks are hashed, packed and stored at once. */
const CHUNKS_IN_FLIGHT = 4;

/** What a segment's new chunks are written with. */
interface TChunkContext {
  keyIndex: number | null;
  bases: TManifestChunk[];
  /** Chunks of the segment so far. */
  made: number;
}

/** The key of a chunk's first row (the first line `[…],` parsed), when the model is keyed by one column. */
function firstKeyOf(chunk: TRowChunk, keyIndex: number | null): string[] | undefined {
  if (keyIndex === null) return undefined;
  const end = chunk.bytes.indexOf(10);
  const values: unknown = JSON.parse(chunk.bytes.toString('utf8', 0, end - 1));
  const key = Array.isArray(values) ? values[keyIndex] : undefined;
  if (typeof key !== 'string') throw new Error("A chunk's first row has no key");
  return [key];
}

/**
 * The previous chunk a new one most likely rewrites: the one that started
 * at the same key, else the one at the same position in the segment (keys
 * are not compared here: their order is the database's collation).
 */
function baseFor(first: string[] | undefined, bases: TManifestChunk[], position: number): TManifestChunk {
  const sameStart = first ? bases.find((base) => base.first?.[0] === first[0]) : undefined;
  return sameStart ?? (bases[Math.min(position, bases.length - 1)] as TManifestChunk);
}

/**
 * Writes the chunks of a snapshot (README, "Snapshots"): a segment the
 * previous snapshot holds unchanged is referenced as it is; the COPY blocks
 * of a segment read again become row lines in the codec workers, the lines
 * are cut into content-defined chunks (chunker.ts, ending at the segment's
 * end), and each chunk is named by the HMAC of its plaintext. A chunk the
 * index already records in every target is only referenced: not compressed,
 * sealed or uploaded again, and its digest sum comes from `knownSums` when
 * an earlier manifest gave it. A new chunk is stored as a patch against its
 * base when that is much smaller (format/chunk-patch.ts), else whole; gzipped in a worker,
 * sealed and stored in each target (atomic puts).
 * Returns the manifest's models and the chunks stored; the caller records
 * those in the index (a crash before that leaves chunks the index does not
 * claim: stored again if needed, collected by gc) and stores the manifest.
 */
export async function writeSnapshotChunks(models: Iterable<TSnapshotModel>, options: TSnapshotWriteOptions): Promise<TSnapshotWritten> {
  const writer = new ChunkWriter(options);
  const written: TManifestModel[] = [];
  for (const model of models) written.push(await writer.writeModel(model));
  return { models: written, ...writer.stats, stored: writer.stored };
}

class ChunkWriter {
  readonly stats = { chunkBytes: 0, storedBytes: 0, chunksNew: 0, chunksReused: 0, chunksPatched: 0, rowsRead: 0 };
  readonly stored: Omit<TIndexedChunk, 'places'>[] = [];
  private readonly idKey;
  /** The base being read for a changed chunk (one at a time). */
  private baseReads: Promise<void> = Promise.resolve();
  /** Objects this snapshot copied to the targets that lacked them. */
  private readonly copied = new Set<string>();
  /** This snapshot's chunks so far: a chunk repeated within the snapshot is packed once. */
  private readonly seen = new Map<string, Promise<TManifestChunk>>();

  constructor(private readonly options: TSnapshotWriteOptions) {
    this.idKey = chunkIdKeyOf(options.key);
  }

  async writeModel(model: TSnapshotModel): Promise<TManifestModel> {
    const chunks: Promise<TManifestChunk>[] = [];
    try {
      for await (const segment of model.segments) {
        if ('reuse' in segment) {
          this.stats.chunkBytes += segment.reuse.bytes;
          this.stats.chunksReused++;
          chunks.push(Promise.resolve(segment.reuse));
        } else await this.writeRows(segment.blocks, { keyIndex: model.keyIndex, bases: segment.bases, made: 0 }, chunks);
      }
      const entries = await Promise.all(chunks);
      const digest = new ContentDigest();
      for (const entry of entries) digest.addSum(Buffer.from(entry.sum, 'hex'), entry.rows);
      return { name: model.name, digest: digest.hex(), chunks: entries };
    } finally {
      // On a failure, the chunks still being packed must not end as unhandled rejections.
      for (const pending of chunks) markHandled(pending);
    }
  }

  /** Converts and chunks one segment's COPY blocks; the segment's last chunk ends with it. */
  private async writeRows(blocks: AsyncIterable<Uint8Array>, context: TChunkContext, chunks: Promise<TManifestChunk>[]): Promise<void> {
    const { pool } = this.options;
    const inFlight = Math.max(1, this.options.inFlight ?? 2 * pool.size);
    const chunker = new RowChunker(this.options.chunkSizes);
    const conversions: Promise<Uint8Array>[] = [];
    const take = async (rows: Uint8Array) => {
      for (const chunk of chunker.push(rows)) await this.add(chunk, context, chunks);
    };
    try {
      for await (const copy of blocks) {
        if (copy.length === 0) continue;
        const conversion = pool.run('copyToRows', { copy }, transferablesOf(copy)).then((output) => {
          this.stats.rowsRead += output.rows;
          return output.out;
        });
        conversions.push(markHandled(conversion));
        while (conversions.length >= inFlight) await take(await (conversions.shift() as Promise<Uint8Array>));
      }
      while (conversions.length > 0) await take(await (conversions.shift() as Promise<Uint8Array>));
      const last = chunker.finish();
      if (last) await this.add(last, context, chunks);
    } finally {
      for (const pending of conversions) markHandled(pending);
    }
  }

  /** Starts packing `chunk`, waiting first while too many chunks are in flight. */
  private async add(chunk: TRowChunk, context: TChunkContext, chunks: Promise<TManifestChunk>[]): Promise<void> {
    const running = chunks.slice(-CHUNKS_IN_FLIGHT);
    if (running.length === CHUNKS_IN_FLIGHT) await running[0];
    this.stats.chunkBytes += chunk.bytes.length;
    const id = chunkIdFor(this.idKey, chunk.bytes);
    const first = firstKeyOf(chunk, context.keyIndex);
    let entry = this.seen.get(id);
    if (entry) this.stats.chunksReused++;
    else {
      entry = markHandled(this.pack(id, chunk, context.bases.length > 0 ? baseFor(first, context.bases, context.made) : null));
      this.seen.set(id, entry);
    }
    context.made++;
    // Handled at once, like `entry`: it may fail while the writer is awaiting something else.
    chunks.push(first ? markHandled(entry.then((packed) => ({ ...packed, first }))) : entry);
  }

  private async pack(id: string, chunk: TRowChunk, base: TManifestChunk | null): Promise<TManifestChunk> {
    const { knownSums } = this.options;
    const plainBytes = chunk.bytes.length;
    const entry = (stored: number, sum: string, chain?: TChunkObject[]): TManifestChunk => ({
      id,
      rows: chunk.rows,
      bytes: plainBytes,
      stored,
      sum,
      ...(chain && chain.length > 0 ? { chain } : {}),
    });
    const indexed = this.options.indexed.get(id);
    const chain = indexed ? this.indexedChain(indexed) : null;
    if (indexed && chain) {
      // Stored already: referenced as it is. A backend that lacks it (off-site storage configured since)
      // gets a copy of the stored objects, never a new representation that could overwrite the one
      // an earlier manifest records (a whole chunk and a patch of the same rows share the id).
      this.stats.chunksReused++;
      for (const object of [...chain.map((link) => this.options.indexed.get(link.id) as TIndexedChunk), indexed])
        await this.copyToMissingTargets(object);
      return entry(indexed.storedBytes, knownSums?.get(id) ?? (await this.digestOnly(chunk)), chain);
    }
    const changed = base ? await this.packChanged(base, chunk) : null;
    if (changed) {
      const sealed = sealBuffer(this.options.key, changed.gz);
      await this.storeNew(id, sealed, plainBytes, changed.chain);
      if (changed.chain.length > 0) this.stats.chunksPatched++;
      return entry(sealed.length, changed.sum, changed.chain);
    }
    const packed = await this.runPack(chunk, this.options.gzipLevel ?? 6);
    if (!packed.gz) throw new Error('packChunk returned no gzip for a chunk to store');
    const sealed = sealBuffer(this.options.key, packed.gz);
    await this.storeNew(id, sealed, plainBytes, []);
    return entry(sealed.length, Buffer.from(packed.digestSum).toString('hex'));
  }

  /** Stores a new chunk object in every target and counts it. */
  private async storeNew(id: string, sealed: Buffer, plainBytes: number, chain: TChunkObject[]): Promise<void> {
    await this.store(id, sealed, this.options.targets);
    this.stats.chunksNew++;
    this.stats.storedBytes += sealed.length;
    this.options.onStored?.(sealed.length);
    this.stored.push({ id, keyId: this.options.key.id, storedBytes: sealed.length, plainBytes, parentId: chain.at(-1)?.id ?? null });
  }

  /**
   * A chunk that replaces `base`, packed in a worker as a patch against it
   * (with the chain it then needs) or whole when the patch would not be much
   * smaller (codec-tasks.ts, packChangedChunk); null when no patch may be
   * made: the chain would grow past its limit or its patches past half its
   * base, or the base is not stored in
   * every target. The chunk's bytes move to the worker.
   */
  private async packChanged(
    base: TManifestChunk,
    chunk: TRowChunk,
  ): Promise<{ gz: Uint8Array; chain: TChunkObject[]; sum: string } | null> {
    const chain = [...(base.chain ?? []), { id: base.id, stored: base.stored, bytes: base.bytes }];
    if (chain.length > (this.options.maxChain ?? MAX_CHAIN)) return null;
    // Once its patches add up to half its base, a chunk is stored whole again: a restore reads less, and the space is soon repaid.
    const patchBytes = chain.slice(1).reduce((sum, object) => sum + object.stored, 0);
    if (patchBytes > (chain[0] as TChunkObject).stored / 2) return null;
    if (!indexedEverywhere(chunkObjects(base), this.options.indexed, this.options.targets)) return null;
    // A base that cannot be read (lost or damaged since: verify reports that snapshot) is no reason to fail this one.
    // One base at a time: rebuilding a long chain makes a megabyte of short-lived rows per patch.
    const reading = this.baseReads.then(() => readChunkRows(base, this.options.key, this.options.fetch, `chunk ${shortChunkId(base.id)}`));
    this.baseReads = reading.then(
      () => undefined,
      () => undefined,
    );
    const baseRows = await reading.catch((error: unknown) => {
      if (error instanceof BackupError) return null;
      throw error;
    });
    if (!baseRows) return null;
    const input = { rows: chunk.bytes, base: baseRows, baseSum: base.sum, baseRows: base.rows, gzipLevel: this.options.gzipLevel ?? 6 };
    const packed = await this.options.pool.run('packChangedChunk', input, transferablesOf([chunk.bytes, baseRows]));
    if (packed.rows !== chunk.rows)
      throw new BackupError('INTERNAL', `A changed chunk has ${packed.rows} rows by its digest and ${chunk.rows} by its lines`);
    return { gz: packed.gz, chain: packed.stored === 'patch' ? chain : [], sum: Buffer.from(packed.digestSum).toString('hex') };
  }

  /**
   * The chain an indexed chunk's object needs, from the index; null when a
   * link is not indexed (then no manifest references the chunk either: gc
   * forgets a chunk and its links together, and keeps whatever a manifest
   * needs).
   */
  private indexedChain(chunk: TIndexedChunk): TChunkObject[] | null {
    const chain: TChunkObject[] = [];
    const seen = new Set([chunk.id]);
    for (let parentId = chunk.parentId; parentId !== null; ) {
      const parent = this.options.indexed.get(parentId);
      // A cycle cannot be written (an id is the HMAC of the rows its chain rebuilds); the check keeps a damaged index from looping.
      if (!parent || seen.has(parent.id)) return null;
      seen.add(parent.id);
      chain.unshift({ id: parent.id, stored: parent.storedBytes, bytes: parent.plainBytes });
      parentId = parent.parentId;
    }
    return chain;
  }

  /** Copies a stored object as it is to the targets the index says lack it (once per snapshot). */
  private async copyToMissingTargets(object: TIndexedChunk): Promise<void> {
    const missing = this.options.targets.filter((target) => !object.places.includes(target.place));
    if (missing.length === 0 || this.copied.has(object.id)) return;
    this.copied.add(object.id);
    const source = this.options.targets.find((target) => object.places.includes(target.place));
    if (!source) throw new BackupError('FILE_MISSING', `Chunk ${shortChunkId(object.id)} is indexed in no configured storage`);
    const sealed = await readObject(source.storage, chunkKey(object.id));
    await this.store(object.id, sealed, missing);
    this.stored.push({
      id: object.id,
      keyId: object.keyId,
      storedBytes: sealed.length,
      plainBytes: object.plainBytes,
      parentId: object.parentId,
    });
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
