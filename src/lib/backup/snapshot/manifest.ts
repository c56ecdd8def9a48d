import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { TBackupKey } from '../crypto/keys';
import { openSealedBuffer, sealBuffer } from '../crypto/sealed-buffer';
import { BackupError } from '../errors/errors';
import { WRITE_VERSION, ZBackupHeader } from '../format/document';

/**
 * A snapshot's manifest (README, "Snapshots"): everything a restore needs
 * besides the chunks themselves, so a snapshot never depends on another
 * snapshot. Stored as gzip of this JSON, sealed in the backup file's
 * `[IV][tag][ciphertext]` layout with the key the chunks are sealed with.
 *
 *   {"format":"school-erp-snapshot","version":2,"keyId":"…",
 *    "documentVersion":3,"header":{…the backup header…},
 *    "horizon":{"xmin":"7301","xmax":"7305","collation":"2.36"},
 *    "models":[{"name":"School","digest":"<64 hex>",
 *               "chunks":[{"id":"<64 hex>","rows":1234,"bytes":1048576,"stored":301234,"sum":"<64 hex>",
 *                          "first":["clx…"],"chain":[{"id":"<64 hex>","stored":250112,"bytes":1047552}]}]}]}
 *
 * Per model, in the header's order: the content digest of all its rows and
 * its chunks in row order. A chunk holds whole row lines of the document
 * (`[…],\n` each, the comma included), so the document of version
 * `documentVersion` is rebuilt exactly by putting the chunks between the
 * structural lines and dropping the comma after each model's last row. Per
 * chunk: its id, its rows, its plaintext bytes, the bytes of its stored
 * (compressed, sealed) object, and the content-digest sum of its rows
 * (content-digest.ts), so a later snapshot reusing the chunk adds its sum
 * without hashing its rows again.
 *
 * Version 2 adds what lets the next snapshot skip the rows that did not
 * change (README, "Snapshots"): `horizon`, the export transaction's snapshot
 * bounds as PostgreSQL 64-bit transaction ids (`pg_snapshot_xmin`/`xmax`:
 * every row version written by a transaction older than `xmin` was visible
 * to it); per chunk `first`, the row key of its first row (PostgreSQL text
 * forms) for models keyed by one column, so a chunk is the key range from
 * its `first` to the next chunk's; and `chain`, when the chunk's stored
 * object is a patch (format/chunk-patch.ts) against the chunk whose plaintext the
 * chain's objects rebuild, base first. Every object a chunk needs is listed
 * in its own entry, so a manifest still names everything its restore reads.
 *
 * Versions: 1 (no horizon, keys or chains) and 2 (this one). A reader
 * refuses a later version by name.
 */
export const MANIFEST_FORMAT = 'school-erp-snapshot';
export const MANIFEST_WRITE_VERSION = 2;
export const MANIFEST_READ_VERSIONS = { min: 1, max: 2 } as const;

const ZHex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A stored chunk object: its id (the HMAC of the plaintext it rebuilds), its stored size and its plaintext's size. */
const ZChunkObject = z.object({ id: ZHex64, stored: z.number().int().positive(), bytes: z.number().int().positive() });
export type TChunkObject = z.infer<typeof ZChunkObject>;

/** A transaction id as PostgreSQL's `xid8` prints it (64-bit, never wraps). */
const ZXid8 = z.string().regex(/^[0-9]{1,20}$/);

export const ZManifestChunk = ZChunkObject.extend({
  rows: z.number().int().positive(),
  sum: ZHex64,
  first: z.array(z.string()).min(1).optional(),
  chain: z.array(ZChunkObject).min(1).optional(),
});
export type TManifestChunk = z.infer<typeof ZManifestChunk>;

/**
 * The export transaction's snapshot bounds (see the module comment), and the
 * version of the database's collation as the operating system reports it
 * (null for C): ranges of text keys are only comparable under the same one.
 */
export const ZSnapshotHorizon = z.object({ xmin: ZXid8, xmax: ZXid8, collation: z.string().nullable() });
export type TSnapshotHorizon = z.infer<typeof ZSnapshotHorizon>;

const ZManifestModel = z.object({
  name: z.string(),
  digest: ZHex64,
  chunks: z.array(ZManifestChunk),
});
export type TManifestModel = z.infer<typeof ZManifestModel>;

export const ZManifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.number().int(),
  keyId: z.string(),
  documentVersion: z.literal(WRITE_VERSION),
  header: ZBackupHeader,
  horizon: ZSnapshotHorizon.optional(),
  models: z.array(ZManifestModel),
});
export type TManifest = z.infer<typeof ZManifest>;

/** A new manifest of the current version. */
export function newManifest(keyId: string, header: TManifest['header'], horizon: TSnapshotHorizon, models: TManifestModel[]): TManifest {
  return { format: MANIFEST_FORMAT, version: MANIFEST_WRITE_VERSION, keyId, documentVersion: WRITE_VERSION, header, horizon, models };
}

/** Every chunk a manifest references, in restore order (a chunk may appear more than once). */
export function manifestChunks(manifest: TManifest): TManifestChunk[] {
  return manifest.models.flatMap((model) => model.chunks);
}

/** The objects a chunk is rebuilt from: its chain's, base first, then its own. */
export function chunkObjects(chunk: TManifestChunk): TChunkObject[] {
  return [...(chunk.chain ?? []), { id: chunk.id, stored: chunk.stored, bytes: chunk.bytes }];
}

/** A stored object a manifest needs: the object whose patch it is (null for a whole chunk), and the model of the first chunk that needs it (for messages). */
export interface TReferencedObject extends TChunkObject {
  parentId: string | null;
  model: string;
}

/** Every stored object a manifest needs (chunks and their chains' objects), each once. */
export function manifestObjects(manifest: TManifest): Map<string, TReferencedObject> {
  const objects = new Map<string, TReferencedObject>();
  for (const model of manifest.models)
    for (const chunk of model.chunks)
      for (const [index, object] of chunkObjects(chunk).entries())
        if (!objects.has(object.id))
          objects.set(object.id, { ...object, parentId: index > 0 ? (chunk.chain?.[index - 1]?.id ?? null) : null, model: model.name });
  return objects;
}

/** The manifest as the bytes to store: gzip, sealed with `key`. */
export function sealManifest(manifest: TManifest, key: TBackupKey): Buffer {
  return sealBuffer(key, gzipSync(JSON.stringify(manifest)));
}

function corrupt(detail: string): BackupError {
  return new BackupError('CORRUPT', `The snapshot's manifest is not valid (${detail})`);
}

/**
 * A stored manifest, authenticated with `key` and checked: its version is
 * one this code reads, its models are the header's in order, and each
 * model's chunks hold the header's row count.
 */
export function openManifest(sealed: Uint8Array, key: TBackupKey): TManifest {
  const gzipped = openSealedBuffer(key, sealed, 'snapshot manifest');
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(gzipped).toString('utf8'));
  } catch {
    throw corrupt('its compressed JSON does not read');
  }
  const head = z.object({ format: z.literal(MANIFEST_FORMAT), version: z.number().int() }).safeParse(parsed);
  if (!head.success) throw corrupt('it is not a snapshot manifest');
  const { version } = head.data;
  if (version < MANIFEST_READ_VERSIONS.min || version > MANIFEST_READ_VERSIONS.max) {
    throw new BackupError(
      'UNSUPPORTED_VERSION',
      `The snapshot's manifest is version ${version}; this version of the backup module reads versions ${MANIFEST_READ_VERSIONS.min} to ${MANIFEST_READ_VERSIONS.max}. Restore it with a newer version of the module.`,
    );
  }
  const manifest = ZManifest.safeParse(parsed);
  if (!manifest.success) throw corrupt('its layout is not the documented one');
  const mismatch = manifestMismatch(manifest.data);
  if (mismatch) throw corrupt(mismatch);
  return manifest.data;
}

/**
 * What makes a manifest disagree with its own header, if anything: its
 * models must be the header's, in order, and each model's chunks must hold
 * the header's row count. Checked when a manifest is read, and before a new
 * one is stored (a snapshot that took over unchanged chunks proves the
 * count still adds up).
 */
export function manifestMismatch(manifest: TManifest): string | null {
  const { header, models } = manifest;
  if (models.length !== header.models.length || models.some((model, index) => model.name !== header.models[index]?.name))
    return 'its models are not the header’s';
  for (const [index, model] of models.entries()) {
    const rows = model.chunks.reduce((sum, chunk) => sum + chunk.rows, 0);
    if (rows !== header.models[index]?.rowCount)
      return `${model.name} has ${rows} rows in its chunks but its header says ${header.models[index]?.rowCount}`;
  }
  return null;
}
