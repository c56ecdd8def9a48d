import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listAll, readAll, storageFailure, streamOf } from './contract';
import { StorageError, type TStorageErrorCode } from './errors';
import { type TRetryEvent, withRetries } from './retrying-storage';
import type { BackupStorage, TBodySource, TListArea, TObjectInfo, TStoredFile } from './types';

/**
 * A fake, in-memory backend whose next calls fail with scripted errors. It is a
 * fake on purpose: these tests check the wrapper's retry policy, not storage
 * (the real backends' failures are exercised in their own tests).
 */
class ScriptedStorage implements BackupStorage {
  readonly kind = 'local';
  readonly objects = new Map<string, Buffer>();
  readonly failures: TStorageErrorCode[] = [];
  calls = 0;
  /** When set, `list` fails with UNAVAILABLE after yielding this many objects, once. */
  failListAfter: number | undefined;

  describe(key?: string): string {
    return `memory:${key ?? ''}`;
  }

  async put(key: string, body: TBodySource): Promise<void> {
    const data = await readAll((typeof body === 'function' ? body() : body) as Readable);
    this.failIfScripted();
    this.objects.set(key, data);
  }

  async putFile(): Promise<TStoredFile> {
    this.failIfScripted();
    return { size: 0, sha256: '' };
  }

  localPath(): null {
    return null;
  }

  async get(key: string): Promise<Readable> {
    this.failIfScripted();
    return streamOf(this.objects.get(key) ?? Buffer.alloc(0));
  }

  async stat(key: string): Promise<TObjectInfo> {
    this.failIfScripted();
    return { key, size: this.objects.get(key)?.length ?? 0, modifiedAt: new Date(0) };
  }

  async *list(area: TListArea = 'files'): AsyncIterable<TObjectInfo> {
    this.calls++;
    let yielded = 0;
    const inArea = (key: string) => key.startsWith('chunks/') === (area === 'chunks');
    for (const key of [...this.objects.keys()].filter(inArea).sort()) {
      if (yielded === this.failListAfter) {
        this.failListAfter = undefined;
        throw new StorageError('UNAVAILABLE', 'connection reset while listing');
      }
      yielded++;
      yield { key, size: 0, modifiedAt: new Date(0) };
    }
  }

  async delete(key: string): Promise<boolean> {
    this.failIfScripted();
    return this.objects.delete(key);
  }

  isNotFound(error: unknown): boolean {
    return error instanceof StorageError && error.code === 'NOT_FOUND';
  }

  private failIfScripted(): void {
    this.calls++;
    const code = this.failures.shift();
    if (code !== undefined) throw new StorageError(code, `scripted ${code}`);
  }
}

function setup(failures: TStorageErrorCode[], options: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number } = {}) {
  const inner = new ScriptedStorage();
  inner.failures.push(...failures);
  const delays: number[] = [];
  const events: TRetryEvent[] = [];
  const storage = withRetries(inner, {
    ...options,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRetry: (event) => events.push(event),
  });
  return { inner, storage, delays, events };
}

describe('withRetries', () => {
  it('retries a put with a body factory after transient failures, opening a fresh body each time', async () => {
    const { inner, storage, delays, events } = setup(['UNAVAILABLE', 'UNAVAILABLE']);
    let opened = 0;

    await storage.put('backup-1.enc', () => {
      opened++;
      return streamOf(Buffer.from('payload'));
    });

    expect(inner.objects.get('backup-1.enc')?.toString()).toBe('payload');
    expect(inner.calls).toBe(3);
    expect(opened).toBe(3);
    expect(delays).toHaveLength(2);
    expect(events.map((event) => [event.operation, event.key, event.attempt, event.attempts])).toEqual([
      ['put', 'backup-1.enc', 1, 4],
      ['put', 'backup-1.enc', 2, 4],
    ]);
  });

  it('attempts a put with a plain stream only once, since the stream cannot be replayed', async () => {
    const { inner, storage, delays } = setup(['UNAVAILABLE']);

    await storageFailure(storage.put('backup-1.enc', streamOf(Buffer.from('payload'))), 'UNAVAILABLE');

    expect(inner.calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it.each<TStorageErrorCode>(['NOT_FOUND', 'ACCESS_DENIED', 'INVALID_KEY', 'NO_SPACE', 'INTEGRITY', 'SOURCE_FAILED', 'UNKNOWN'])(
    'does not retry %s',
    async (code) => {
      const { inner, storage, delays } = setup([code]);

      await storageFailure(storage.stat('backup-1.enc'), code);

      expect(inner.calls).toBe(1);
      expect(delays).toEqual([]);
    },
  );

  it('gives up after the configured attempts with the last error, backing off exponentially up to the cap', async () => {
    const { inner, storage, delays } = setup(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE'], {
      attempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 500,
    });

    await storageFailure(storage.get('backup-1.enc'), 'UNAVAILABLE');

    expect(inner.calls).toBe(5);
    const ceilings = [100, 200, 400, 500];
    expect(delays).toHaveLength(ceilings.length);
    delays.forEach((delay, index) => {
      const ceiling = ceilings[index] ?? 0;
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
  });

  it('retries get, stat and delete', async () => {
    const { inner, storage } = setup(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
    inner.objects.set('backup-1.enc', Buffer.from('abc'));

    expect((await readAll(await storage.get('backup-1.enc'))).toString()).toBe('abc');
    expect((await storage.stat('backup-1.enc')).size).toBe(3);
    expect(await storage.delete('backup-1.enc')).toBe(true);
    expect(inner.calls).toBe(6);
  });

  it('resumes a list that failed midway without repeating objects', async () => {
    const { inner, storage, delays } = setup([]);
    for (const n of [1, 2, 3, 4]) inner.objects.set(`backup-${n}.enc`, Buffer.alloc(0));
    inner.failListAfter = 2;

    const keys = (await listAll(storage)).map((info) => info.key);

    expect(keys).toEqual(['backup-1.enc', 'backup-2.enc', 'backup-3.enc', 'backup-4.enc']);
    expect(inner.calls).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it('lists the area it is asked for, also when resuming a failed list of chunks', async () => {
    const { inner, storage } = setup([]);
    inner.objects.set('backup-1.enc', Buffer.alloc(0));
    for (const n of [1, 2, 3]) inner.objects.set(`chunks/0${n}/0${n}`, Buffer.alloc(0));
    inner.failListAfter = 1;

    expect((await listAll(storage, 'chunks')).map((info) => info.key)).toEqual(['chunks/01/01', 'chunks/02/02', 'chunks/03/03']);
    expect((await listAll(storage)).map((info) => info.key)).toEqual(['backup-1.enc']);
    expect(inner.calls).toBe(3);
  });

  it('delegates kind, describe and isNotFound', () => {
    const { storage } = setup([]);

    expect(storage.kind).toBe('local');
    expect(storage.describe('k')).toBe('memory:k');
    expect(storage.isNotFound(new StorageError('NOT_FOUND', 'gone'))).toBe(true);
  });
});
