import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBackupTestbed } from '@/test/backup-testbed';
import { dumpTables } from '@/test/table-dump';
import type { BackupError } from '../errors/errors';
import { acquireOperationLock } from '../lock/operation-lock';
import { createBackup, restoreBackup } from '../service';
import { interruptOperations } from './interrupt';
import { startProgress, updateProgress } from './progress';

// interruptOperations() cannot be undone in a process: this file's tests run
// in order, the last ones after it (vitest gives each file its own process).
describe('interrupting the operations of a process that is stopping', () => {
  const bed = useBackupTestbed();
  let backup: { id: string; filename: string };

  it('changes nothing before it is called', async () => {
    backup = await createBackup({}, bed.deps);
    expect(() => updateProgress(startProgress('p1', 'backup'), { phase: 'exporting', rowsDone: 1 })).not.toThrow();
  });

  it('then fails progress checkpoints, except finishing phases and byte counts', () => {
    interruptOperations('stopped by SIGTERM');
    const progress = startProgress('p2', 'backup');
    expect(() => updateProgress(progress, { rowsDone: 10 })).toThrow('Interrupted: stopped by SIGTERM');
    expect(() => updateProgress(progress, { phase: 'uploading' })).toThrow('Interrupted: stopped by SIGTERM');
    expect(() => updateProgress(startProgress('p3', 'restore'), { phase: 'restoring' })).toThrow(
      'Interrupted: stopped by SIGTERM. Nothing was changed.',
    );
    expect(() => updateProgress(progress, { bytesWritten: 100 })).not.toThrow();
    expect(() => updateProgress(progress, { phase: 'failed' })).not.toThrow();
    expect(() => updateProgress(progress, { phase: 'done', rowsDone: 10 })).not.toThrow();
  });

  it('a backup started now ends FAILED through its own failure path: files removed, lock released', async () => {
    const error = (await createBackup({}, bed.deps).catch((caught: unknown) => caught)) as BackupError;
    expect(error.code).toBe('INTERRUPTED');
    const row = await bed.db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(row).toMatchObject({ status: 'FAILED', error: 'Interrupted: stopped by SIGTERM' });
    // Only the earlier, completed backup's file: no temporary file, nothing of the failed one.
    expect(fs.readdirSync(bed.deps.backupDir)).toEqual([backup.filename]);
    await (await acquireOperationLock(bed.db.database)).release();
  });

  it('a restore started now changes nothing and says so', async () => {
    const before = await dumpTables(bed.db.prisma);
    const error = (await restoreBackup(backup.id, { confirm: true }, bed.deps).catch((caught: unknown) => caught)) as BackupError;
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toBe('Interrupted: stopped by SIGTERM. Nothing was changed.');
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
    await (await acquireOperationLock(bed.db.database)).release();
  });
});
