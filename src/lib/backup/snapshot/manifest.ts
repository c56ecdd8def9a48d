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
 *   {"format":"school-erp-snapshot","version":1,"keyId":"…",
 *    "documentVersion":3,"header":{…the backup header…},
 *    "models":[{"name":"School","digest":"<64 hex>",
 *               "chunks":[{"id":"<64 hex>","rows":1234,"bytes":1048576,"stored":301234,"sum":"<64 hex>"}]}]}
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
 * Versions: 1 (this one). A reader refuses a later version by name.
 */
export const MANIFEST_FORMAT = 'school-erp-snapshot';
export const MANIFEST_WRITE_VERSION = 1;
export const MANIFEST_READ_VERSIONS = { min: 1, max: 1 } as const;

const ZHex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ZManifestChunk = z.object({
  id: ZHex64,
  rows: z.number().int().positive(),
  bytes: z.number().int().positive(),
  stored: z.number().int().positive(),
  sum: ZHex64,
});
export type TManifestChunk = z.infer<typeof ZManifestChunk>;

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
  models: z.array(ZManifestModel),
});
export type TManifest = z.infer<typeof ZManifest>;

/** A new manifest of the current version. */
export function newManifest(keyId: string, header: TManifest['header'], models: TManifestModel[]): TManifest {
  return { format: MANIFEST_FORMAT, version: MANIFEST_WRITE_VERSION, keyId, documentVersion: WRITE_VERSION, header, models };
}

/** Every chunk a manifest references, in restore order (a chunk may appear more than once). */
export function manifestChunks(manifest: TManifest): TManifestChunk[] {
  return manifest.models.flatMap((model) => model.chunks);
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
  const { header, models } = manifest.data;
  if (models.length !== header.models.length || models.some((model, index) => model.name !== header.models[index]?.name))
    throw corrupt('its models are not the header’s');
  for (const [index, model] of models.entries()) {
    const rows = model.chunks.reduce((sum, chunk) => sum + chunk.rows, 0);
    if (rows !== header.models[index]?.rowCount)
      throw corrupt(`${model.name} has ${rows} rows in its chunks but its header says ${header.models[index]?.rowCount}`);
  }
  return manifest.data;
}
