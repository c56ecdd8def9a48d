import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BackupError, MESSAGES } from '../errors/errors';
import type { TBackupKey } from './keys';
import { CIPHER, IV_BYTES, PREFIX_BYTES, TAG_BYTES } from './layout';

/**
 * A small object (a snapshot chunk or manifest) sealed whole in memory, in
 * the backup file's own layout (layout.ts): `[IV][tag][ciphertext]`. Chunks
 * are at most a few MiB, so nothing here streams.
 */
export function sealBuffer(key: TBackupKey, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/**
 * The plaintext of a sealed object, authenticated: AUTH_FAILED when the key
 * is wrong or a byte was changed, CORRUPT when it is too short to be sealed.
 * `what` names the object in the message ("chunk 3f2a…").
 */
export function openSealedBuffer(key: TBackupKey, sealed: Uint8Array, what: string): Buffer {
  if (sealed.length < PREFIX_BYTES)
    throw new BackupError('CORRUPT', `The ${what} is truncated: ${sealed.length} bytes, less than the ${PREFIX_BYTES}-byte header`);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv(CIPHER, key.bytes, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(PREFIX_BYTES)), decipher.final()]);
  } catch (error) {
    throw new BackupError('AUTH_FAILED', `The ${what} failed authentication: ${MESSAGES.authFailed}`, { cause: error });
  }
}
