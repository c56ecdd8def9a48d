import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MiB, readAll, sha256, storageFailure, streamOf } from './contract';
import { LocalStorage } from './local-storage';

// Simulation: temp files opened under `fullDir` get a `write` that fails with a real-looking
// ENOSPC after the first chunk, so a partial temp file exists on disk when the error hits.
const simulated = vi.hoisted(() => ({ fullDir: '' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, flags, mode) => {
    const handle = await actual.open(file, flags, mode);
    if (simulated.fullDir !== '' && flags === 'wx' && String(file).startsWith(simulated.fullDir)) {
      const write = handle.write.bind(handle) as (buffer: Buffer, offset: number) => Promise<unknown>;
      let writes = 0;
      Object.assign(handle, {
        write: async (buffer: Buffer, offset: number) => {
          if (writes++ === 0) return write(buffer, offset);
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        },
      });
    }
    return handle;
  };
  return { ...actual, open };
});

describe('LocalStorage when the disk is full', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'local-full-'));
  });
  afterEach(async () => {
    simulated.fullDir = '';
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects with NO_SPACE naming the directory and removes the temp file (simulated ENOSPC from write)', async () => {
    simulated.fullDir = dir;
    const storage = new LocalStorage(dir);

    const error = await storageFailure(storage.put('backup-1.enc', streamOf(randomBytes(MiB))), 'NO_SPACE');

    expect(error.message).toBe(`Not enough disk space in ${dir} to write the backup (ENOSPC)`);
    expect(error.cause).toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(dir)).toEqual([]);
  });
});

// A real 1 MiB tmpfs needs root (CAP_SYS_ADMIN) on Linux; elsewhere the test reports itself skipped.
describe('LocalStorage on a real full filesystem', () => {
  let dir: string;
  let mounted = false;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'local-tmpfs-'));
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
      mounted = true;
    } catch {
      // No mount permission inside this container: the test is skipped.
    }
  });
  afterAll(async () => {
    if (mounted) execFileSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects with NO_SPACE, removes the temp file and frees the space for the next backup', async (context) => {
    if (!mounted) context.skip('cannot mount a tmpfs here (needs root on Linux)');
    const storage = new LocalStorage(dir);

    const error = await storageFailure(storage.put('backup-1.enc', streamOf(randomBytes(2 * MiB))), 'NO_SPACE');

    expect(error.message).toBe(`Not enough disk space in ${dir} to write the backup (ENOSPC)`);
    expect(await readdir(dir)).toEqual([]);
    const smaller = randomBytes(MiB / 2);
    await storage.put('backup-2.enc', streamOf(smaller));
    expect(sha256(await readAll(await storage.get('backup-2.enc')))).toBe(sha256(smaller));
  });
});
