import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunkIdStarting, streamOf } from './contract';
import { chunkKey } from './keys';
import { LocalStorage } from './local-storage';

// Records every fsync (by path) and rename (by target) the storage makes, in order, on the real disk.
const recorded = vi.hoisted(() => ({ events: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, flags, mode) => {
    const handle = await actual.open(file, flags, mode);
    const sync = handle.sync.bind(handle);
    Object.assign(handle, {
      sync: async () => {
        recorded.events.push(`sync ${String(file)}`);
        return sync();
      },
    });
    return handle;
  };
  const rename: typeof actual.rename = async (from, to) => {
    await actual.rename(from, to);
    recorded.events.push(`rename ${String(to)}`);
  };
  return { ...actual, open, rename };
});

describe('LocalStorage durability', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'local-fsync-'));
    recorded.events = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('after the rename, syncs every folder up to the storage directory and the parent of each folder it created', async () => {
    const dir = path.join(root, 'backups');
    const storage = new LocalStorage(dir);
    const first = chunkIdStarting('ab');

    await storage.put(chunkKey(first), streamOf(randomBytes(100)));

    const folder = path.join(dir, 'chunks', 'ab');
    expect(recorded.events.at(0)).toMatch(new RegExp(`^sync ${folder}/\\.tmp-[0-9a-f]{12}-${first}$`));
    expect(recorded.events.slice(1)).toEqual([
      `rename ${path.join(folder, first)}`,
      `sync ${folder}`,
      `sync ${path.join(dir, 'chunks')}`,
      `sync ${dir}`,
      `sync ${root}`,
    ]);

    // Folders that already existed are still synced up to the storage directory (a concurrent
    // put may have created them and not synced yet), but nothing above it.
    recorded.events = [];
    const second = chunkIdStarting('ab');
    await storage.put(chunkKey(second), streamOf(randomBytes(100)));
    expect(recorded.events.slice(1)).toEqual([
      `rename ${path.join(folder, second)}`,
      `sync ${folder}`,
      `sync ${path.join(dir, 'chunks')}`,
      `sync ${dir}`,
    ]);
  });

  it('syncs only the storage directory after a put of a single name into an existing directory', async () => {
    const storage = new LocalStorage(root);

    await storage.put('backup-1.enc', streamOf(randomBytes(100)));

    expect(recorded.events.slice(1)).toEqual([`rename ${path.join(root, 'backup-1.enc')}`, `sync ${root}`]);
  });
});
