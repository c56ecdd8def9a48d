import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openDecryptStream } from '../crypto/encrypted-file';
import type { TBackupKey } from '../crypto/keys';
import { BackupError } from '../errors/errors';
import { readDocument, readDocumentBlocks, type TDocumentBlockEvent, type TDocumentEvent } from './document-reader';

/** Gunzip output chunks 4× the default: fewer buffers for the reader to cut into row blocks, still small beside a block. */
const GUNZIP_CHUNK_BYTES = 64 << 10;

/**
 * A backup file's document, decrypt → gunzip (multi-member, on libuv's
 * thread pool) → `read`. Fails with AUTH_FAILED at the end if the auth tag
 * does not match, and with CORRUPT if gzip or the document is broken.
 */
async function* readPlaintext<T>(
  filePath: string,
  key: TBackupKey,
  read: (plaintext: AsyncIterable<Buffer>) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  const decrypted = await openDecryptStream(filePath, key);
  const plaintext = pipeline(
    decrypted as NodeJS.ReadableStream & NodeJS.WritableStream,
    createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }),
    () => {},
  );
  try {
    // The readers read to the end of the stream, so the tag is always checked.
    yield* read(plaintext as AsyncIterable<Buffer>);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw new BackupError('CORRUPT', 'The backup is damaged: its compressed data is invalid', { cause: error });
    throw error;
  } finally {
    plaintext.destroy();
  }
}

/** The events of a backup file's document, rows parsed. */
export function readBackupFile(filePath: string, key: TBackupKey): AsyncGenerator<TDocumentEvent> {
  return readPlaintext(filePath, key, (plaintext) => readDocument(plaintext));
}

/** The events of a backup file's document, rows as unparsed blocks of lines (the restore's bulk path). */
export function readBackupFileBlocks(filePath: string, key: TBackupKey): AsyncGenerator<TDocumentBlockEvent> {
  return readPlaintext(filePath, key, (plaintext) => readDocumentBlocks(plaintext));
}

/** The first event of a file (its header, or the whole legacy document), for deciding what a restore will touch. */
export async function peekBackupFile(filePath: string, key: TBackupKey): Promise<TDocumentEvent> {
  for await (const event of readBackupFile(filePath, key)) return event;
  throw new BackupError('CORRUPT', 'The backup has no content');
}
