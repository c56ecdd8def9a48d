import { createHmac, hkdfSync } from 'node:crypto';
import type { TBackupKey } from './keys';

/**
 * The key that names snapshot chunks: derived from an encryption key with
 * HKDF-SHA256 (RFC 5869) under its own label, so it never encrypts anything
 * and the encryption key never names anything. A chunk's id is the
 * HMAC-SHA256 of its plaintext under it: equal rows give equal ids (which is
 * what deduplicates them), yet whoever holds the storage, without the key,
 * can neither guess a chunk's content from its id nor test a guess.
 */
export interface TChunkIdKey {
  /** The encryption key it is derived from; the chunks it names are sealed with that key. */
  keyId: string;
  bytes: Buffer;
}

const LABEL = 'school-erp-backup chunk id v1';

export function chunkIdKeyOf(key: TBackupKey): TChunkIdKey {
  return { keyId: key.id, bytes: Buffer.from(hkdfSync('sha256', key.bytes, Buffer.alloc(0), LABEL, 32)) };
}

/** The chunk id of `plaintext`: 64 lowercase hex digits. */
export function chunkIdFor(idKey: TChunkIdKey, plaintext: Uint8Array): string {
  return createHmac('sha256', idKey.bytes).update(plaintext).digest('hex');
}
