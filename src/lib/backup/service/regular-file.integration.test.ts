import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupTestbed } from '@/test/backup-testbed';
import { acquireOperationLock } from '../lock/operation-lock';
import { restoreFromFile } from '.';

describe('restoreFromFile of a path that is not a regular file', () => {
  const bed = useBackupTestbed();

  it('is refused before the lock is taken: a FIFO, a link to one, a directory, a device', async () => {
    const fifo = path.join(bed.deps.backupDir, 'incoming.fifo');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(bed.deps.backupDir, 'incoming.enc');
    fs.symlinkSync(fifo, link);
    // With the lock held elsewhere, anything that reached for it would be BUSY.
    const lock = await acquireOperationLock(bed.db.database);
    try {
      for (const [target, kind] of [
        [fifo, 'a FIFO'],
        [link, 'a FIFO'],
        [bed.deps.backupDir, 'a directory'],
        ['/dev/zero', 'a character device'],
      ]) {
        await expect(restoreFromFile(target as string, { confirm: true }, bed.deps)).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: `${target} is not a regular file (it is ${kind}): give the path of a backup file`,
        });
      }
      await expect(restoreFromFile(path.join(bed.deps.backupDir, 'none.enc'), { confirm: true }, bed.deps)).rejects.toMatchObject({
        code: 'FILE_MISSING',
        message: 'Backup file not found on disk',
      });
    } finally {
      await lock.release();
    }
  });
});
