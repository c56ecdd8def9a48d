import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { markHandled } from '@/lib/async/mark-handled';
import { chunkIdFor, chunkIdKeyOf } from '../crypto/chunk-id';
import type { TBackupKey } from '../crypto/keys';
import { openSealedBuffer } from '../crypto/sealed-buffer';
import { BackupError } from '../errors/errors';
import { applyRowPatches } from '../format/chunk-patch';
import { documentLines } from '../format/document';
import { chunkObjects, type TChunkObject, type TManifest, type TManifestChunk } from './manifest';

const gunzipAsync = promisify(gunzip);

/** Fetches a stored chunk object's (sealed) bytes; rejects with FILE_MISSING naming it when no backend has it. */
export type TChunkFetch = (object: TChunkObject) => Promise<Buffer>;

export interface TSnapshotReadOptions {
  /** Chunks fetched and opened ahead of the one being read (default 4). */
  ahead?: number;
  /** Told each chunk's model before its rows are read (for error messages and progress). */
  onChunk?: (model: string, chunk: TManifestChunk) => void;
}

/** A short, recognisable form of a chunk id for messages. */
export function shortChunkId(id: string): string {
  return id.slice(0, 12);
}

/**
 * A chunk's row lines, read from the storage: its objects fetched in
 * parallel, each authenticated (GCM tag) and gunzipped on libuv's thread
 * pool; a chained chunk's patches applied to its base in order, and the
 * result checked against the chunk's id (the HMAC of its plaintext), so an
 * object swapped for another valid one is refused too.
 * `what` names the chunk in errors.
 */
export async function readChunkRows(chunk: TManifestChunk, key: TBackupKey, fetch: TChunkFetch, what: string): Promise<Buffer> {
  const idKey = chunkIdKeyOf(key);
  const objects = chunkObjects(chunk);
  const opened = await Promise.all(
    objects.map(async (object) =>
      gunzipAsync(openSealedBuffer(key, await fetch(object), what)).catch((error: unknown) => {
        if (error instanceof BackupError) throw error;
        throw new BackupError('CORRUPT', `The snapshot's ${what} is damaged: its compressed data is invalid`, { cause: error });
      }),
    ),
  );
  const rows = opened.length === 1 ? (opened[0] as Buffer) : applyRowPatches(opened[0] as Buffer, opened.slice(1));
  // The rows the whole chain rebuilds must be the ones the chunk's id names (each object is already
  // authenticated by its GCM tag): a link swapped for another valid object cannot pass this.
  if (rows.length !== chunk.bytes || chunkIdFor(idKey, rows) !== chunk.id)
    throw new BackupError('CORRUPT', `The snapshot's ${what} does not hold the rows its id names: it was replaced or damaged`);
  return rows;
}

/**
 * The snapshot's document, rebuilt exactly as a full backup of the same rows
 * holds it (manifest.ts): the structural lines around each model's chunks,
 * the comma after each model's last row dropped. Chunks are read a few
 * ahead in parallel (readChunkRows). Feed it to the document readers like a
 * full backup's plaintext.
 */
export async function* snapshotDocument(
  manifest: TManifest,
  key: TBackupKey,
  fetch: TChunkFetch,
  options: TSnapshotReadOptions = {},
): AsyncGenerator<Buffer> {
  const ahead = Math.max(1, options.ahead ?? 4);
  const order = manifest.models.flatMap((model) => model.chunks.map((chunk) => ({ model: model.name, chunk })));
  const opened: Promise<Buffer>[] = [];
  const open = ({ model, chunk }: { model: string; chunk: TManifestChunk }) =>
    readChunkRows(chunk, key, fetch, `chunk ${shortChunkId(chunk.id)} (rows of ${model})`);
  let next = 0;
  const fill = () => {
    while (opened.length < ahead && next < order.length) opened.push(markHandled(open(order[next++] as (typeof order)[number])));
  };
  try {
    yield Buffer.from(documentLines.opening(manifest.documentVersion) + documentLines.header(manifest.header));
    for (const [index, model] of manifest.models.entries()) {
      yield Buffer.from(documentLines.modelStart(model.name));
      for (const [position, chunk] of model.chunks.entries()) {
        fill();
        options.onChunk?.(model.name, chunk);
        const rows = await (opened.shift() as Promise<Buffer>);
        // The model's last row goes without its comma: `…],\n` becomes `…]\n`.
        yield position === model.chunks.length - 1 ? Buffer.concat([rows.subarray(0, rows.length - 2), NEWLINE]) : rows;
      }
      yield Buffer.from(documentLines.modelEnd(index === manifest.models.length - 1, model.digest));
    }
    yield Buffer.from(documentLines.closing);
  } finally {
    for (const pending of opened) markHandled(pending);
  }
}

const NEWLINE = Buffer.from('\n');

/** The byte size of the document `snapshotDocument` yields (the snapshot's logical size). */
export function snapshotDocumentBytes(manifest: TManifest): number {
  let bytes = Buffer.byteLength(documentLines.opening(manifest.documentVersion) + documentLines.header(manifest.header));
  for (const [index, model] of manifest.models.entries()) {
    const rows = model.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
    bytes += Buffer.byteLength(documentLines.modelStart(model.name)) + (rows > 0 ? rows - 1 : 0);
    bytes += Buffer.byteLength(documentLines.modelEnd(index === manifest.models.length - 1, model.digest));
  }
  return bytes + Buffer.byteLength(documentLines.closing);
}
