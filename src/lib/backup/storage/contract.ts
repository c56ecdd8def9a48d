import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError, type TStorageErrorCode } from './errors';
import { chunkKey } from './keys';
import type { BackupStorage, TListArea, TObjectInfo } from './types';

/** A backend under test. */
export interface TContractSubject {
  storage: BackupStorage;
  cleanup: () => Promise<void>;
  /**
   * Every name physically present in the location, including temp files and
   * names `list` hides; nested names are paths relative to the location
   * (`chunks/ab/<id>`), and folders, where the backend has them, end with "/".
   */
  rawNames: () => Promise<string[]>;
  /** The backend's own directory when it has one (local): a scratch file written there is moved by `putFile`. */
  ownDir?: string;
}

export const MiB = 1024 * 1024;

/** Streams `data` in 64 KiB chunks, like a file read stream. */
export function streamOf(data: Buffer): Readable {
  function* chunks() {
    for (let offset = 0; offset < data.length; offset += 64 * 1024) yield data.subarray(offset, offset + 64 * 1024);
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Streams `bytes` random bytes, then fails with `error`, like a source disk going away mid-read. */
function streamFailingAfter(bytes: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) {
        this.destroy(error);
        return;
      }
      const size = Math.min(64 * 1024, bytes - sent);
      sent += size;
      this.push(randomBytes(size));
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function listAll(storage: BackupStorage, area?: TListArea): Promise<TObjectInfo[]> {
  const objects: TObjectInfo[] = [];
  for await (const info of storage.list(area)) objects.push(info);
  return objects;
}

/** A chunk id (64 lowercase hex) starting with `start`, random after it. */
export function chunkIdStarting(start: string): string {
  return (start + randomBytes(32).toString('hex')).slice(0, 64);
}

/** The names in `rawNames` that are not folders. */
async function rawFiles(subject: TContractSubject): Promise<string[]> {
  return (await subject.rawNames()).filter((name) => !name.endsWith('/'));
}

/** Resolves once a put given `{ onProgress }` has handed bytes to the storage. */
function progressSignal(): { onProgress: () => void; reached: Promise<void> } {
  let onProgress: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    onProgress = resolve;
  });
  return { onProgress: () => onProgress(), reached };
}

/** Chunk-like keys that are not chunk keys: wrong folder, an id not matching it, dot segments, uppercase, short ids. */
const id = 'ab'.padEnd(64, '7');
const INVALID_CHUNK_KEYS = [
  `chunks/zz/zz${id.slice(2)}`,
  `chunks/ab/cd${id.slice(2)}`,
  'chunks/ab/../x',
  `chunks/ab/../../${id}`,
  `chunks/AB/${id.toUpperCase()}`,
  `chunks/ab/${id.slice(0, 63)}`,
  `chunks/ab/${id}/x`,
  `chunks/ab/.tmp-${id}`,
  'chunks/ab/',
  `chunks//${id}`,
];

/** Resolves to the `StorageError` `promise` rejects with, failing the test if it resolves or rejects with something else. */
export async function storageFailure(promise: Promise<unknown>, code: TStorageErrorCode): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected a StorageError ${code}`).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe(code);
  return error as StorageError;
}

const key = (n: number) => `backup-20261126T05000${n}Z-ab12cd34.enc`;

/**
 * The behaviour every `BackupStorage` must share (see `types.ts`). Each test
 * gets a fresh, empty location from `makeStorage`.
 */
export function runStorageContract(name: string, makeStorage: () => Promise<TContractSubject>): void {
  describe(`${name}: BackupStorage contract`, () => {
    let subject: TContractSubject;
    let storage: BackupStorage;

    beforeEach(async () => {
      subject = await makeStorage();
      storage = subject.storage;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it.each([
      ['an empty object', 0],
      ['a small object', 1000],
      ['an object over 12 MiB (several 5 MiB multipart parts on S3)', 12 * MiB + 123],
    ])('stores and returns %s byte for byte', async (_label, size) => {
      const data = randomBytes(size);
      await storage.put(key(1), streamOf(data));

      expect(sha256(await readAll(await storage.get(key(1))))).toBe(sha256(data));
      const info = await storage.stat(key(1));
      expect(info.key).toBe(key(1));
      expect(info.size).toBe(size);
      expect(Math.abs(info.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('accepts a body factory and calls it once', async () => {
      const data = randomBytes(2048);
      let opened = 0;
      await storage.put(key(1), () => {
        opened++;
        return streamOf(data);
      });

      expect(opened).toBe(1);
      expect(await readAll(await storage.get(key(1)))).toEqual(data);
    });

    it('replaces an existing object', async () => {
      await storage.put(key(1), streamOf(Buffer.from('first version')));
      await storage.put(key(1), streamOf(Buffer.from('second')));

      expect((await readAll(await storage.get(key(1)))).toString()).toBe('second');
      expect((await storage.stat(key(1))).size).toBe(6);
    });

    it('lists complete objects in ascending key order, never one still being written', async () => {
      for (const n of [3, 1, 2]) await storage.put(key(n), streamOf(randomBytes(100 * n)));
      const body = new PassThrough();
      let reachedStorage: () => void = () => {};
      const progressed = new Promise<void>((resolve) => {
        reachedStorage = resolve;
      });
      const pending = storage.put(key(4), body, { onProgress: () => reachedStorage() });
      body.write(randomBytes(6 * MiB));
      await progressed;

      const during = await listAll(storage);
      expect(during.map((info) => [info.key, info.size])).toEqual([
        [key(1), 100],
        [key(2), 200],
        [key(3), 300],
      ]);
      await expect(storage.stat(key(4))).rejects.toSatisfy((error) => storage.isNotFound(error));

      body.end(randomBytes(10));
      await pending;
      expect((await listAll(storage)).map((info) => info.key)).toEqual([key(1), key(2), key(3), key(4)]);
    });

    it('delete resolves true for an existing object, then false', async () => {
      await storage.put(key(1), streamOf(randomBytes(10)));

      expect(await storage.delete(key(1))).toBe(true);
      expect(await storage.delete(key(1))).toBe(false);
      expect(await listAll(storage)).toEqual([]);
    });

    it('rejects get and stat of a missing key with a not-found error naming the location', async () => {
      for (const attempt of [() => storage.get(key(9)), () => storage.stat(key(9))]) {
        const error = await storageFailure(attempt(), 'NOT_FOUND');
        expect(storage.isNotFound(error)).toBe(true);
        expect(error.message).toContain(storage.describe(key(9)));
      }
      expect(storage.isNotFound(new Error('something else'))).toBe(false);
    });

    it.each(['../x', 'a/b', '', '..', 'a..b', '.tmp-x', '/etc/passwd', 'a\\b', 'a b', 'x'.repeat(202), ...INVALID_CHUNK_KEYS])(
      'rejects the invalid key %j before reading the body or touching storage',
      async (badKey) => {
        let read = false;
        const body = new Readable({
          read() {
            read = true;
            this.push(null);
          },
        });
        let factoryCalled = false;

        await storageFailure(storage.put(badKey, body), 'INVALID_KEY');
        await storageFailure(
          storage.put(badKey, () => {
            factoryCalled = true;
            return body;
          }),
          'INVALID_KEY',
        );
        await storageFailure(storage.get(badKey), 'INVALID_KEY');
        await storageFailure(storage.stat(badKey), 'INVALID_KEY');
        await storageFailure(storage.delete(badKey), 'INVALID_KEY');

        expect(read).toBe(false);
        expect(factoryCalled).toBe(false);
        expect(await subject.rawNames()).toEqual([]);
      },
    );

    it('leaves nothing behind when the body stream fails midway', async () => {
      const diskError = new Error('source disk went away');

      const error = await storageFailure(storage.put(key(1), streamFailingAfter(7 * MiB, diskError)), 'SOURCE_FAILED');

      expect(error.cause).toBe(diskError);
      expect(error.message).toContain(storage.describe(key(1)));
      await expect(storage.stat(key(1))).rejects.toSatisfy((reason) => storage.isNotFound(reason));
      expect(await subject.rawNames()).toEqual([]);
    });

    it('refuses to store a body that does not match the announced sha256 or size', async () => {
      const data = randomBytes(4096);

      await storageFailure(storage.put(key(1), streamOf(data), { sha256: sha256(Buffer.from('other')) }), 'INTEGRITY');
      await storageFailure(storage.put(key(1), streamOf(data), { size: data.length + 1 }), 'INTEGRITY');
      await storageFailure(storage.put(key(1), streamOf(data), { size: data.length - 1 }), 'INTEGRITY');
      expect(await subject.rawNames()).toEqual([]);

      await storage.put(key(1), streamOf(data), { sha256: sha256(data).toUpperCase(), size: data.length });
      expect(await readAll(await storage.get(key(1)))).toEqual(data);
    });

    it('stores, returns, stats and deletes a chunk key', async () => {
      const chunk = chunkKey(chunkIdStarting('ab'));
      const data = randomBytes(3000);

      await storage.put(chunk, streamOf(data), { sha256: sha256(data), size: data.length });

      expect(await readAll(await storage.get(chunk))).toEqual(data);
      const info = await storage.stat(chunk);
      expect([info.key, info.size]).toEqual([chunk, data.length]);
      expect(await storage.delete(chunk)).toBe(true);
      expect(await storage.delete(chunk)).toBe(false);
      const error = await storageFailure(storage.stat(chunk), 'NOT_FOUND');
      expect(error.message).toContain(storage.describe(chunk));
    });

    it('keeps chunks out of the files list and files out of the chunks list', async () => {
      const chunk = chunkKey(chunkIdStarting('00'));
      await storage.put(key(1), streamOf(randomBytes(10)));
      await storage.put(chunk, streamOf(randomBytes(20)));

      expect((await listAll(storage)).map((info) => info.key)).toEqual([key(1)]);
      expect((await listAll(storage, 'files')).map((info) => info.key)).toEqual([key(1)]);
      expect((await listAll(storage, 'chunks')).map((info) => [info.key, info.size])).toEqual([[chunk, 20]]);
    });

    it('lists no chunks when none were ever stored', async () => {
      expect(await listAll(storage, 'chunks')).toEqual([]);
      await storage.put(key(1), streamOf(randomBytes(10)));
      expect(await listAll(storage, 'chunks')).toEqual([]);
    });

    it('lists complete chunks in ascending key order across folders, never one still being written', async () => {
      const ids = ['ff', '00', 'ab', 'ab', '0a'].map(chunkIdStarting);
      for (const [n, chunkId] of ids.entries()) await storage.put(chunkKey(chunkId), streamOf(randomBytes(10 + n)));
      const sizes = new Map(ids.map((chunkId, n) => [chunkKey(chunkId), 10 + n]));
      const expected = [...sizes.keys()].sort();
      const pendingKey = chunkKey(chunkIdStarting('ab'));
      const body = new PassThrough();
      const signal = progressSignal();
      const pending = storage.put(pendingKey, body, { onProgress: signal.onProgress });
      body.write(randomBytes(6 * MiB));
      await signal.reached;

      const during = await listAll(storage, 'chunks');
      expect(during.map((info) => [info.key, info.size])).toEqual(expected.map((chunk) => [chunk, sizes.get(chunk)]));
      await expect(storage.stat(pendingKey)).rejects.toSatisfy((error) => storage.isNotFound(error));

      body.end(randomBytes(10));
      await pending;
      expect((await listAll(storage, 'chunks')).map((info) => info.key)).toEqual([...expected, pendingKey].sort());
    });

    it('leaves nothing behind when a chunk put fails', async () => {
      const chunk = chunkKey(chunkIdStarting('ab'));
      const data = randomBytes(4096);

      await storageFailure(storage.put(chunk, streamFailingAfter(7 * MiB, new Error('source disk went away'))), 'SOURCE_FAILED');
      await storageFailure(storage.put(chunk, streamOf(data), { sha256: sha256(Buffer.from('other')) }), 'INTEGRITY');

      await expect(storage.stat(chunk)).rejects.toSatisfy((reason) => storage.isNotFound(reason));
      expect(await listAll(storage, 'chunks')).toEqual([]);
      expect(await rawFiles(subject)).toEqual([]);
    });

    describe('putFile', () => {
      let outside: string;
      beforeEach(async () => {
        outside = await mkdtemp(path.join(tmpdir(), 'put-file-'));
      });
      afterEach(async () => {
        await rm(outside, { recursive: true, force: true });
      });

      it('stores a file from elsewhere byte for byte, returns its size and SHA-256, and leaves it in place', async () => {
        const data = randomBytes(6 * MiB + 17);
        const file = path.join(outside, 'backup.enc');
        await writeFile(file, data);

        expect(await storage.putFile(key(1), file)).toEqual({ size: data.length, sha256: sha256(data) });

        expect(sha256(await readAll(await storage.get(key(1))))).toBe(sha256(data));
        expect((await readFile(file)).equals(data)).toBe(true);
        const chunk = chunkKey(chunkIdStarting('cd'));
        await storage.putFile(chunk, file, { size: data.length, sha256: sha256(data) });
        expect((await storage.stat(chunk)).size).toBe(data.length);
      });

      it('moves a scratch file of its own directory, or copies it, and never leaves a partial object', async () => {
        const data = randomBytes(4096);
        const file = path.join(subject.ownDir ?? outside, `.tmp-${key(2)}`);
        await writeFile(file, data);

        expect(await storage.putFile(key(2), file, { size: data.length, sha256: sha256(data) })).toEqual({
          size: data.length,
          sha256: sha256(data),
        });

        expect(await readAll(await storage.get(key(2)))).toEqual(data);
        // Moved (one rename) only within the backend's own directory; copies leave the file.
        expect(existsSync(file)).toBe(subject.ownDir === undefined);
        expect(await rawFiles(subject)).toEqual([key(2)]);
      });

      it('refuses a file that does not match the announced size or SHA-256, or cannot be read, storing nothing and keeping the file', async () => {
        const data = randomBytes(4096);
        const file = path.join(subject.ownDir ?? outside, `.tmp-${key(3)}`);
        await writeFile(file, data);

        await storageFailure(storage.putFile(key(3), file, { sha256: sha256(Buffer.from('other')) }), 'INTEGRITY');
        await storageFailure(storage.putFile(key(3), file, { size: data.length + 1 }), 'INTEGRITY');
        await storageFailure(storage.putFile(key(3), path.join(outside, 'absent.enc')), 'SOURCE_FAILED');
        await storageFailure(storage.putFile('../escape', file), 'INVALID_KEY');

        expect((await readFile(file)).equals(data)).toBe(true);
        await expect(storage.stat(key(3))).rejects.toSatisfy((reason) => storage.isNotFound(reason));
        expect((await rawFiles(subject)).filter((name) => !name.startsWith('.tmp-'))).toEqual([]);
      });
    });

    it('localPath names a file holding the object (read in place), or is null for a remote backend', async () => {
      const data = randomBytes(1000);
      await storage.put(key(1), streamOf(data));

      const local = storage.localPath(key(1));
      if (storage.kind === 's3') expect(local).toBeNull();
      else expect(await readFile(local as string)).toEqual(data);
    });
  });
}
