import { type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertPutKey, openBody, sourceFailed } from './body';
import { isStorageNotFound, StorageError, systemErrorCode } from './errors';
import { temporaryPutName } from './file-names';
import { assertAnnounced, fileFacts, streamFile } from './file-source';
import { assertValidKey, chunkIdOf, isValidKey } from './keys';
import { mapFsError } from './local-errors';
import type { BackupStorage, TBodySource, TListArea, TObjectInfo, TPutOptions, TStoredFile } from './types';

/** The folder of chunk keys (`chunks/<2 hex>/<id>`, see keys.ts) inside the directory. */
const CHUNKS_FOLDER = 'chunks';
const CHUNK_SUBFOLDER = /^[0-9a-f]{2}$/;

/**
 * Backup files in one local directory; chunk keys live in its nested folders
 * `chunks/<2 hex>/`. A put writes `.tmp-*` in the final file's folder (same
 * filesystem, so the rename is atomic), fsyncs it, renames it over the key and
 * fsyncs the folders on the way up, so a crash leaves either the old state or
 * the complete file. Folders are created on first put and never removed (a
 * concurrent put may be about to use one).
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
    const folder = path.dirname(location);
    const temp = path.join(folder, temporaryPutName(path.basename(location)));
    try {
      const created = await mkdir(folder, { recursive: true });
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
      await this.syncFolders(folder, created);
    } catch (error) {
      opened.stream.destroy();
      await rm(temp, { force: true });
      throw opened.failedAtSource(error) ? sourceFailed(error, location) : mapFsError(error, 'write', location, this.dir);
    }
  }

  /**
   * A scratch file of this directory (not named like an object) is moved:
   * read once for its size and SHA-256 (checked against the announced ones),
   * fsynced, renamed over the key, the folders fsynced, as `put` ends. Any
   * other file is copied through `put` and left in place.
   */
  async putFile(key: string, filePath: string, options: TPutOptions = {}): Promise<TStoredFile> {
    assertValidKey(key, this.dir);
    const source = path.resolve(filePath);
    if (path.dirname(source) !== this.dir || isValidKey(path.basename(source))) return streamFile(this, key, source, options);
    const location = this.describe(key);
    const facts = await fileFacts(source, location, { sync: true });
    assertAnnounced(facts, options, location);
    const folder = path.dirname(location);
    try {
      const created = await mkdir(folder, { recursive: true });
      await rename(source, location);
      await this.syncFolders(folder, created);
    } catch (error) {
      throw mapFsError(error, 'write', location, this.dir);
    }
    options.onProgress?.(facts.size);
    return facts;
  }

  localPath(key: string): string {
    return this.locate(key);
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

  async *list(area: TListArea = 'files'): AsyncIterable<TObjectInfo> {
    if (area === 'files') {
      // The `chunks` folder passes `isValidKey`; `statEach` skips it, like any directory.
      yield* this.statEach((await this.readFolder(this.dir)).filter(isValidKey));
      return;
    }
    // Sub-folders have two-character names, so folder order then name order is key order.
    const chunks = path.join(this.dir, CHUNKS_FOLDER);
    for (const sub of (await this.readFolder(chunks)).filter((name) => CHUNK_SUBFOLDER.test(name))) {
      const names = await this.readFolder(path.join(chunks, sub));
      yield* this.statEach(names.map((name) => `${CHUNKS_FOLDER}/${sub}/${name}`).filter((key) => chunkIdOf(key) !== null));
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

  /** The sorted names in `folder`; none when it does not exist (yet). */
  private async readFolder(folder: string): Promise<string[]> {
    try {
      return (await readdir(folder)).sort();
    } catch (error) {
      const code = systemErrorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw mapFsError(error, 'list', folder, this.dir);
    }
  }

  /** Stats each key in order, skipping those that are gone or are not files. */
  private async *statEach(keys: string[]): AsyncIterable<TObjectInfo> {
    for (const key of keys) {
      try {
        yield await this.stat(key);
      } catch (error) {
        // Deleted between readdir and stat, or a directory: not an object.
        if (!isStorageNotFound(error)) throw error;
      }
    }
  }

  /**
   * Makes the rename durable: without an fsync of each folder a power cut can
   * forget the new entry in it. Every folder from the file's up to the storage
   * directory is synced, not only those this put created, because a concurrent
   * put may have created one and not synced its parent yet. Above the storage
   * directory, only the parents of folders this put created (`created`, the
   * first folder `mkdir` made) are synced.
   */
  private async syncFolders(folder: string, created: string | undefined): Promise<void> {
    const top = created !== undefined && !isInside(created, this.dir) ? path.dirname(created) : this.dir;
    for (let current = folder; ; current = path.dirname(current)) {
      await syncFolder(current);
      if (current === top || current === path.dirname(current)) return;
    }
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True when `folder` is strictly inside `dir`. */
function isInside(folder: string, dir: string): boolean {
  const relative = path.relative(dir, folder);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `write` may write less than asked (e.g. just before the disk fills up); loop until all of `chunk` is written. */
async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}
