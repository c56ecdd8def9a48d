import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkIdStarting, listAll, MiB, runStorageContract, storageFailure, streamOf } from './contract';
import { TEMP_PREFIX } from './file-names';
import { chunkKey } from './keys';
import { LocalStorage } from './local-storage';

/** Every entry under `dir`, as paths relative to it; folders end with "/". */
async function rawNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)) + (entry.isDirectory() ? '/' : '')).sort();
}

runStorageContract('local', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'local-storage-'));
  return {
    storage: new LocalStorage(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    rawNames: () => rawNames(dir),
    ownDir: dir,
  };
});

describe('LocalStorage', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'local-storage-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('describes itself by absolute path', () => {
    const storage = new LocalStorage(path.relative(process.cwd(), root));

    expect(storage.describe()).toBe(root);
    expect(storage.describe('backup-1.enc')).toBe(path.join(root, 'backup-1.enc'));
  });

  it('creates the directory on first put and keeps the file private to its owner', async () => {
    const storage = new LocalStorage(path.join(root, 'nested', 'backups'));

    await storage.put('backup-1.enc', streamOf(randomBytes(10)));

    const mode = (await stat(path.join(root, 'nested', 'backups', 'backup-1.enc'))).mode;
    expect(mode & 0o077).toBe(0);
  });

  it('lists only files named like keys: not temp files, directories or foreign names', async () => {
    const storage = new LocalStorage(root);
    await storage.put('backup-1.enc', streamOf(randomBytes(10)));
    await writeFile(path.join(root, `${TEMP_PREFIX}abc-backup-2.enc`), 'partial');
    await writeFile(path.join(root, 'notes with spaces.txt'), 'x');
    await mkdir(path.join(root, 'archive'));

    expect((await listAll(storage)).map((info) => info.key)).toEqual(['backup-1.enc']);
  });

  it('lists nothing when the directory does not exist yet', async () => {
    expect(await listAll(new LocalStorage(path.join(root, 'missing')))).toEqual([]);
  });

  it('writes through a .tmp- file in the same directory and renames it into place', async () => {
    const storage = new LocalStorage(root);
    const body = new PassThrough();
    let reachedDisk: () => void = () => {};
    const progressed = new Promise<void>((resolve) => {
      reachedDisk = resolve;
    });
    const pending = storage.put('backup-1.enc', body, { onProgress: () => reachedDisk() });
    body.write(randomBytes(MiB));
    await progressed;

    const during = await readdir(root);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.tmp-[0-9a-f]+-backup-1\.enc$/);

    body.end();
    await pending;
    expect(await readdir(root)).toEqual(['backup-1.enc']);
  });

  it('reports progress up to the number of bytes written', async () => {
    const storage = new LocalStorage(root);
    const seen: number[] = [];

    await storage.put('backup-1.enc', streamOf(randomBytes(3 * MiB)), { onProgress: (bytes) => seen.push(bytes) });

    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(3 * MiB);
  });

  it('writes a chunk through a .tmp- file in its own folder, creating the folders', async () => {
    const storage = new LocalStorage(path.join(root, 'backups'));
    const chunkId = chunkIdStarting('ab');
    const body = new PassThrough();
    let reachedDisk: () => void = () => {};
    const progressed = new Promise<void>((resolve) => {
      reachedDisk = resolve;
    });
    const pending = storage.put(chunkKey(chunkId), body, { onProgress: () => reachedDisk() });
    body.write(randomBytes(MiB));
    await progressed;

    expect(await readdir(path.join(root, 'backups'))).toEqual(['chunks']);
    const during = await readdir(path.join(root, 'backups', 'chunks', 'ab'));
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(new RegExp(`^\\.tmp-[0-9a-f]{12}-${chunkId}$`));

    body.end();
    await pending;
    expect(await rawNames(root)).toEqual(['backups/', 'backups/chunks/', 'backups/chunks/ab/', `backups/chunks/ab/${chunkId}`]);
    const mode = (await stat(path.join(root, 'backups', 'chunks', 'ab', chunkId))).mode;
    expect(mode & 0o077).toBe(0);
  });

  it('leaves no temp file in the chunk folder when the body fails midway (a crash-like failure)', async () => {
    const storage = new LocalStorage(root);
    const body = new PassThrough();
    let reachedDisk: () => void = () => {};
    const progressed = new Promise<void>((resolve) => {
      reachedDisk = resolve;
    });
    const pending = storage.put(chunkKey(chunkIdStarting('ab')), body, { onProgress: () => reachedDisk() });
    body.write(randomBytes(MiB));
    await progressed;
    expect(await readdir(path.join(root, 'chunks', 'ab'))).toHaveLength(1);
    body.destroy(new Error('the engine crashed'));

    await storageFailure(pending, 'SOURCE_FAILED');
    expect(await readdir(path.join(root, 'chunks', 'ab'))).toEqual([]);
  });

  it('lists as chunks only chunk files in their own folder: not temp files, folders or foreign names', async () => {
    const storage = new LocalStorage(root);
    const chunk = chunkKey(chunkIdStarting('ab'));
    await storage.put(chunk, streamOf(randomBytes(10)));
    const foreign = chunkIdStarting('cd');
    await mkdir(path.join(root, 'chunks', 'zz'), { recursive: true });
    await mkdir(path.join(root, 'chunks', 'cd', chunkIdStarting('cd')), { recursive: true });
    await writeFile(path.join(root, 'chunks', 'zz', `zz${foreign.slice(2)}`), 'x');
    await writeFile(path.join(root, 'chunks', 'ab', foreign), 'misplaced');
    await writeFile(path.join(root, 'chunks', 'ab', `${TEMP_PREFIX}0123456789ab-${chunkIdStarting('ab')}`), 'partial');
    await writeFile(path.join(root, 'chunks', 'ab', 'notes.txt'), 'x');
    await writeFile(path.join(root, 'chunks', 'README'), 'x');
    await writeFile(path.join(root, 'chunks', 'ab', foreign.toUpperCase()), 'x');

    expect((await listAll(storage, 'chunks')).map((info) => info.key)).toEqual([chunk]);
    expect(await listAll(storage, 'files')).toEqual([]);
  });

  it('lists no chunks when the directory does not exist, or chunks is not a folder', async () => {
    expect(await listAll(new LocalStorage(path.join(root, 'missing')), 'chunks')).toEqual([]);
    await writeFile(path.join(root, 'chunks'), 'not a folder');
    expect(await listAll(new LocalStorage(root), 'chunks')).toEqual([]);
  });
});
