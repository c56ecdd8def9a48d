import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup, listBackups, restoreBackup, verifyBackup } from '@/lib/backup/service';
import { useBackupTestbed } from '@/test/backup-testbed';
import { dumpTables } from '@/test/table-dump';

describe('backup and restore round trip', () => {
  const bed = useBackupTestbed();

  it('restores every scalar type exactly, after the data was changed and deleted', async () => {
    const before = await dumpTables(bed.db.prisma);
    const backup = await createBackup({}, bed.deps);
    expect(backup.status).toBe('COMPLETED');
    expect(fs.existsSync(path.join(bed.deps.backupDir, backup.filename))).toBe(true);

    await bed.db.prisma.payment.deleteMany();
    await bed.db.prisma.staff.updateMany({ data: { salary: 1 } });
    await bed.db.prisma.school.create({ data: { code: 'NEW', name: 'Created after the backup', address: 'x' } });
    expect(await dumpTables(bed.db.prisma)).not.toEqual(before);

    const result = await restoreBackup(backup.id, { confirm: true }, bed.deps);
    expect(result.success).toBe(true);
    const after = await dumpTables(bed.db.prisma);
    for (const table of Object.keys(before).filter((t) => t !== 'Backup' && t !== 'AuditLog')) {
      expect(after[table], table).toEqual(before[table]);
    }
    expect(result.recordsRestored).toBe(
      Object.entries(before)
        .filter(([t]) => t !== 'Backup' && t !== 'AuditLog')
        .reduce((n, [, rows]) => n + rows.length, 0),
    );
    expect(result.safetyBackupId).not.toBeNull();
  });

  it('verifies a completed backup with every check passing', async () => {
    const backup = await createBackup({}, bed.deps);
    expect((await listBackups(bed.deps))[0]?.id).toBe(backup.id);
    const result = await verifyBackup(backup.id, bed.deps);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['file-present', true],
      ['size', true],
      ['checksum', true],
      ['auth-tag', true],
      ['content', true],
      ['row-counts', true],
      ['tables', true],
    ]);
    expect(result.valid).toBe(true);
  });
});
