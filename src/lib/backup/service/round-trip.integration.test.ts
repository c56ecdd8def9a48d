import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, listBackups, restoreBackup, verifyBackup } from '@/lib/backup/service';
import { createTestBackupDeps } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

describe('backup and restore round trip', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;
  beforeAll(async () => {
    db = await createTestDb();
    deps = createTestBackupDeps(db);
    await insertEdgeValues(db.prisma);
  });
  afterAll(async () => {
    deps.cleanup();
    await db.close();
  });

  it('restores every scalar type exactly, after the data was changed and deleted', async () => {
    const before = await dumpTables(db.prisma);
    const backup = await createBackup({}, deps);
    expect(backup.status).toBe('COMPLETED');
    expect(fs.existsSync(path.join(deps.backupDir, backup.filename))).toBe(true);

    await db.prisma.payment.deleteMany();
    await db.prisma.staff.updateMany({ data: { salary: 1 } });
    await db.prisma.school.create({ data: { code: 'NEW', name: 'Created after the backup', address: 'x' } });
    expect(await dumpTables(db.prisma)).not.toEqual(before);

    const result = await restoreBackup(backup.id, { confirm: true }, deps);
    expect(result.success).toBe(true);
    const after = await dumpTables(db.prisma);
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
    const backup = await createBackup({}, deps);
    expect((await listBackups(deps))[0]?.id).toBe(backup.id);
    const result = await verifyBackup(backup.id, deps);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['file-present', true],
      ['size', true],
      ['checksum', true],
      ['auth-tag', true],
      ['content', true],
      ['row-counts', true],
    ]);
    expect(result.valid).toBe(true);
  });
});
