import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openDecryptStream } from '@/lib/backup/crypto/encrypted-file';
import type { TBackupKey } from '@/lib/backup/crypto/keys';

/**
 * The size of a backup's uncompressed JSON document, by decrypting and
 * gunzipping the file and counting bytes (nothing is parsed or kept), and
 * how long that took: a lower bound of any restore's read side.
 */
export async function measurePlaintext(file: string, key: TBackupKey): Promise<{ bytes: number; decodeMs: number }> {
  const started = performance.now();
  const decrypted = await openDecryptStream(file, key);
  const plaintext = pipeline(decrypted as NodeJS.ReadableStream & NodeJS.WritableStream, createGunzip(), () => {});
  let bytes = 0;
  for await (const chunk of plaintext as AsyncIterable<Buffer>) bytes += chunk.length;
  return { bytes, decodeMs: performance.now() - started };
}
