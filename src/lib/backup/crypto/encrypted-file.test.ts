import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeEncryptedFile } from './encrypted-file';
import { createKeyring } from './keys';

describe('writing the encrypted file', () => {
  const mounts: string[] = [];
  afterEach(() => {
    for (const mountPoint of mounts.splice(0)) {
      execFileSync('umount', [mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('fails with ENOSPC when the disk fills mid-write, instead of leaving a silently truncated file', async () => {
    // A real 64 KiB filesystem (tmpfs; CI runs as root). The second 40 KiB chunk only partly fits:
    // Linux writes what fits and returns the short count; only a further write reports ENOSPC.
    const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-short-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    mounts.push(mountPoint);
    async function* chunks() {
      yield randomBytes(40 * 1024);
      yield randomBytes(40 * 1024);
    }
    const key = createKeyring(randomBytes(32).toString('hex')).current;
    const error = await writeEncryptedFile(path.join(mountPoint, 'backup.enc'), key, chunks()).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });
});
