import { describe, expect, it } from 'vitest';
import { createBackup, planRestore, restoreBackup } from '@/lib/backup/service';
import { useBackupTestbed } from '@/test/backup-testbed';

describe('what a restore will do, said before it is confirmed', () => {
  const bed = useBackupTestbed();

  it('a full backup: the rows it will restore are the rows the restore reports; the rest of its total is history, kept', async () => {
    const backup = await createBackup({}, bed.deps);
    const plan = await planRestore(backup.id, bed.deps);
    expect(plan.replacesEverything).toBe(true);
    expect(plan.emptied).toEqual([]);
    // The backup's total (what the list shows) also counts the Backup and AuditLog rows it holds, which a restore keeps as they are.
    expect(plan.historyRowsKept).toBe((backup.rowCounts?.Backup ?? 0) + (backup.rowCounts?.AuditLog ?? 0));
    expect(plan.historyRowsKept).toBeGreaterThan(0);
    expect((plan.rowsToRestore ?? 0) + plan.historyRowsKept).toBe(backup.totalRows);
    const result = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, bed.deps);
    expect(result.recordsRestored).toBe(plan.rowsToRestore);
    expect(result.perModel).toEqual(Object.fromEntries(plan.replaced.map((entry) => [entry.model, entry.rows])));
  });

  it('a backup of chosen models: names every model it will empty, before the restore, exactly as the restore then reports', async () => {
    const backup = await createBackup({ models: ['School', 'AcademicYear'] }, bed.deps);
    const plan = await planRestore(backup.id, bed.deps);
    expect(plan.replacesEverything).toBe(false);
    expect(plan.replaced.map((entry) => entry.model)).toEqual(['School', 'AcademicYear']);
    expect(plan.emptied).toEqual(expect.arrayContaining(['Student', 'Staff', 'SchoolSetting', 'Term', 'AttendanceRecord']));
    expect(plan.emptied).not.toContain('Backup');
    const result = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, bed.deps);
    expect(result.modelsNotInBackup).toEqual(plan.emptied);
    expect(result.recordsRestored).toBe(plan.rowsToRestore);
  });

  it('refuses to plan a restore of a backup that is not COMPLETED', async () => {
    const failed = await bed.db.prisma.backup.create({
      data: { filename: 'backup-20260101T000000Z-0badf00d.enc', type: 'MANUAL', status: 'FAILED', models: [] },
    });
    await expect(planRestore(failed.id, bed.deps)).rejects.toThrow(/is FAILED; only COMPLETED backups can be restored/);
  });
});
