import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { sourceFailed } from './body';
import { StorageError } from './errors';
import type { BackupStorage, TPutOptions, TStoredFile } from './types';

/**
 * Size and SHA-256 of the file at `filePath`, read once; with `sync`, the
 * file is fsynced too (before it is renamed into place). A read failure is
 * `SOURCE_FAILED` naming `location`, the object it was meant for.
 */
export async function fileFacts(filePath: string, location: string, options: { sync?: boolean } = {}): Promise<TStoredFile> {
  try {
    const handle = await open(filePath, 'r');
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of handle.createReadStream({ autoClose: false, start: 0 })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      if (options.sync) await handle.sync();
      return { size, sha256: hash.digest('hex') };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw sourceFailed(error, location);
  }
}

/** Rejects with `INTEGRITY` unless `facts` match the caller's announced `size`/`sha256`. */
export function assertAnnounced(facts: TStoredFile, options: TPutOptions, location: string): void {
  const problem =
    options.size !== undefined && facts.size !== options.size
      ? `has ${facts.size} bytes, not the announced ${options.size}`
      : options.sha256 !== undefined && facts.sha256 !== options.sha256.toLowerCase()
        ? 'does not match the announced SHA-256'
        : null;
  if (problem) throw new StorageError('INTEGRITY', `The backup data for ${location} ${problem}; nothing was stored`);
}

/**
 * `putFile` by streaming: the file's SHA-256 is computed first unless
 * announced (S3 records it as metadata when the upload starts), then the
 * file is put from a fresh read stream per attempt, checked on the way. The
 * file is left where it is.
 */
export async function streamFile(storage: BackupStorage, key: string, filePath: string, options: TPutOptions = {}): Promise<TStoredFile> {
  const facts = options.sha256 === undefined || options.size === undefined ? await fileFacts(filePath, storage.describe(key)) : undefined;
  if (facts) assertAnnounced(facts, options, storage.describe(key));
  const announced = {
    size: options.size ?? (facts as TStoredFile).size,
    sha256: (options.sha256 ?? (facts as TStoredFile).sha256).toLowerCase(),
  };
  await storage.put(key, () => createReadStream(filePath), { ...options, ...announced });
  return announced;
}
