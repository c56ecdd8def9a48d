import { type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertPutKey, openBody, sourceFailed } from './body';
import { isStorageNotFound, StorageError, systemErrorCode } from './errors';
import { temporaryPutName } from './file-names';
import { assertValidKey, isValidKey } from './keys';
import { mapFsError } from './local-errors';
import type { BackupStorage, TBodySource, TObjectInfo, TPutOptions } from './types';

/**
 * Backup files in one local directory. A put writes `.tmp-*` in the same
 * directory (same filesystem, so the rename is atomic), fsyncs it, renames it
 * over the key and fsyncs the directory, so a crash leaves either the old
 * state or the complete file. The directory is created on first put.
 */
export class LocalStorage implements BackupStorage {
  readonly kind = 'local';
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  describe(key?: string): string {
    return key === undefined ? this.dir : path.join(this.dir, key);
  }

  async put(key: string, body: TBodySource, options: TPutOptions = {}): Promise<void> {
    assertPutKey(key, body, this.dir);
    const location = this.describe(key);
    const opened = openBody(body, options, location);
    const temp = path.join(this.dir, temporaryPutName(key));
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temp, 'wx', 0o600);
      try {
        let written = 0;
        for await (const chunk of opened.stream) {
          await writeAll(handle, chunk);
          written += chunk.length;
          options.onProgress?.(written);
        }
        // With delayed allocation (ext4, xfs) a full disk may only be reported by fsync.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, location);
      await this.syncDir();
    } catch (error) {
      opened.stream.destroy();
      await rm(temp, { force: true });
      throw opened.failedAtSource(error) ? sourceFailed(error, location) : mapFsError(error, 'write', location, this.dir);
    }
  }

  async get(key: string): Promise<Readable> {
    const location = this.locate(key);
    const handle = await open(location, 'r').catch((error: unknown) => {
      throw this.mapReadError(error, location);
    });
    const isFile = await handle.stat().then(
      (info) => info.isFile(),
      async (error: unknown) => {
        await handle.close();
        throw this.mapReadError(error, location);
      },
    );
    if (!isFile) {
      await handle.close();
      throw this.notFound(location);
    }
    return handle.createReadStream();
  }

  async stat(key: string): Promise<TObjectInfo> {
    const location = this.locate(key);
    const info = await stat(location).catch((error: unknown) => {
      throw this.mapReadError(error, location);
    });
    if (!info.isFile()) throw this.notFound(location);
    return { key, size: info.size, modifiedAt: info.mtime };
  }

  async *list(): AsyncIterable<TObjectInfo> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return;
      throw mapFsError(error, 'list', this.dir, this.dir);
    }
    for (const name of names.filter(isValidKey).sort()) {
      try {
        yield await this.stat(name);
      } catch (error) {
        // Deleted between readdir and stat, or a directory: not an object.
        if (!isStorageNotFound(error)) throw error;
      }
    }
  }

  async delete(key: string): Promise<boolean> {
    const location = this.locate(key);
    try {
      await unlink(location);
      return true;
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return false;
      throw mapFsError(error, 'delete', location, this.dir);
    }
  }

  isNotFound(error: unknown): boolean {
    return isStorageNotFound(error);
  }

  private locate(key: string): string {
    assertValidKey(key, this.dir);
    return path.join(this.dir, key);
  }

  private notFound(location: string): StorageError {
    return new StorageError('NOT_FOUND', `No backup file at ${location}`);
  }

  private mapReadError(error: unknown, location: string): StorageError {
    const code = systemErrorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return this.notFound(location);
    return mapFsError(error, 'read', location, this.dir);
  }

  /** Makes the rename itself durable: without it a power cut can forget the new directory entry. */
  private async syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** `write` may write less than asked (e.g. just before the disk fills up); loop until all of `chunk` is written. */
async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}
