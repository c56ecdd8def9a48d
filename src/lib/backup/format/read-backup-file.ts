import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openDecryptStream } from '../crypto/encrypted-file';
import type { TBackupKey } from '../crypto/keys';
import { BackupError } from '../errors/errors';
import { readDocument, type TDocumentEvent } from './document-reader';

/**
 * The events of a backup file's document: decrypt → gunzip (multi-member) →
 * line-structured JSON. Fails with AUTH_FAILED at the end if the auth tag
 * does not match, and with CORRUPT if gzip or the document is broken.
 */
export async function* readBackupFile(filePath: string, key: TBackupKey): AsyncGenerator<TDocumentEvent> {
  const decrypted = await openDecryptStream(filePath, key);
  const plaintext = pipeline(decrypted as NodeJS.ReadableStream & NodeJS.WritableStream, createGunzip(), () => {});
  try {
    // readDocument reads to the end of the stream, so the tag is always checked.
    yield* readDocument(plaintext as AsyncIterable<Buffer>);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw new BackupError('CORRUPT', 'The backup is damaged: its compressed data is invalid', { cause: error });
    throw error;
  } finally {
    plaintext.destroy();
  }
}

/** The first event of a file (its header, or the whole legacy document), for deciding what a restore will touch. */
export async function peekBackupFile(filePath: string, key: TBackupKey): Promise<TDocumentEvent> {
  for await (const event of readBackupFile(filePath, key)) return event;
  throw new BackupError('CORRUPT', 'The backup has no content');
}
