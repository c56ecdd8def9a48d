import { writeEncryptedFile } from '@/lib/backup/crypto/encrypted-file';
import type { TBackupKey } from '@/lib/backup/crypto/keys';
import { parallelGzip } from './parallel-gzip';

/** Encrypts an arbitrary document exactly as the engine does, to build files the engine would never write. */
export async function writeCraftedBackup(filePath: string, key: TBackupKey, document: string | string[]): Promise<void> {
  async function* chunks() {
    for (const part of Array.isArray(document) ? document : [document]) yield part;
  }
  await writeEncryptedFile(filePath, key, parallelGzip(chunks(), { blockSize: 64 }));
}
