import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackupError, MESSAGES } from '../errors/errors';
import type { TBackupKey } from './keys';
import { CIPHER, IV_BYTES, PREFIX_BYTES } from './layout';

/**
 * Encrypts a stream of (already compressed) plaintext into `filePath`.
 * The auth tag is known only once everything is encrypted, so 32 placeholder
 * bytes are written first and the IV and tag filled in at the end. The file
 * is fsynced; the caller renames it into place only after that.
 */
export async function writeEncryptedFile(
  filePath: string,
  key: TBackupKey,
  plaintext: AsyncIterable<Buffer>,
  onCiphertextBytes: (bytes: number) => void = () => {},
): Promise<{ size: number }> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.bytes, iv);
  const handle = await fs.promises.open(filePath, 'wx', 0o600);
  try {
    let position = PREFIX_BYTES;
    await writeAllAt(handle, Buffer.alloc(PREFIX_BYTES), 0);
    const writeAt = async (chunk: Buffer) => {
      if (chunk.length === 0) return;
      await writeAllAt(handle, chunk, position);
      position += chunk.length;
      onCiphertextBytes(chunk.length);
    };
    for await (const chunk of plaintext) await writeAt(cipher.update(chunk));
    await writeAt(cipher.final());
    await writeAllAt(handle, Buffer.concat([iv, cipher.getAuthTag()]), 0);
    await handle.sync();
    return { size: position };
  } finally {
    await handle.close();
  }
}

/**
 * `write` may write less than asked: a disk that fills up mid-write takes
 * what fits and reports the count, and only the next write fails. Ignoring
 * the count left a silently truncated file. Loops until all of `chunk` is at
 * `position`, so a full disk surfaces as ENOSPC.
 */
async function writeAllAt(handle: fs.promises.FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** SHA-256 (hex) of a whole file, streamed. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(filePath), hash);
  return hash.digest('hex');
}

async function readPrefix(filePath: string): Promise<{ iv: Buffer; tag: Buffer; size: number }> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    if (size < PREFIX_BYTES) {
      throw new BackupError('CORRUPT', `The backup file is truncated: ${size} bytes, less than the ${PREFIX_BYTES}-byte header`);
    }
    const prefix = Buffer.alloc(PREFIX_BYTES);
    await handle.read(prefix, 0, PREFIX_BYTES, 0);
    return { iv: prefix.subarray(0, IV_BYTES), tag: prefix.subarray(IV_BYTES, PREFIX_BYTES), size };
  } finally {
    await handle.close();
  }
}

/** GCM's tag failure surfaces as a generic OpenSSL error; give it the message users search for. */
function authFailure(error: unknown): BackupError {
  return new BackupError('AUTH_FAILED', MESSAGES.authFailed, { cause: error });
}

class DecryptTransform extends Transform {
  constructor(private readonly decipher: ReturnType<typeof createDecipheriv>) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    callback(null, this.decipher.update(chunk));
  }
  override _flush(callback: TransformCallback) {
    try {
      callback(null, this.decipher.final());
    } catch (error) {
      callback(authFailure(error));
    }
  }
}

/**
 * A stream of the decrypted (still compressed) plaintext. Data flows before
 * the tag is checked; the stream errors with AUTH_FAILED at the end if the
 * tag does not match, so consumers must not commit anything until it ends.
 */
export async function openDecryptStream(filePath: string, key: TBackupKey): Promise<NodeJS.ReadableStream> {
  const { iv, tag } = await readPrefix(filePath);
  const decipher = createDecipheriv(CIPHER, key.bytes, iv);
  decipher.setAuthTag(tag);
  const source = fs.createReadStream(filePath, { start: PREFIX_BYTES, highWaterMark: 1 << 20 });
  const decrypt = new DecryptTransform(decipher);
  source.on('error', (error) => decrypt.destroy(error));
  return source.pipe(decrypt);
}

/**
 * Checks the auth tag of the whole file with one key, without decompressing.
 * AES-GCM runs at gigabytes per second, so this is cheap next to gunzip.
 */
async function authenticateFile(filePath: string, key: TBackupKey): Promise<boolean> {
  const { iv, tag } = await readPrefix(filePath);
  const decipher = createDecipheriv(CIPHER, key.bytes, iv);
  decipher.setAuthTag(tag);
  for await (const chunk of fs.createReadStream(filePath, { start: PREFIX_BYTES, highWaterMark: 1 << 20 })) {
    decipher.update(chunk as Buffer);
  }
  try {
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks the key that authenticates the file: the recorded key id first when
 * known, else every configured key (a file with no metadata row).
 */
export async function findFileKey(filePath: string, keys: TBackupKey[], preferredId?: string | null): Promise<TBackupKey> {
  const ordered = preferredId ? [...keys.filter((k) => k.id === preferredId), ...keys.filter((k) => k.id !== preferredId)] : keys;
  for (const key of ordered) {
    if (await authenticateFile(filePath, key)) return key;
  }
  throw new BackupError('AUTH_FAILED', MESSAGES.authFailed);
}
