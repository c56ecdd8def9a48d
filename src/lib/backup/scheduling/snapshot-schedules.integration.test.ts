import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createTestBackupDeps } from '@/test/backup-deps';
import { closeSnapshotDb, openSnapshotDb } from '@/test/snapshot-fixtures';
import type { TTestDb } from '@/test/test-db';
import { pruneBackups, verifyBackup } from '../service';
import { runDue } from './run-due';
import { addSchedule, updateSchedule } from './schedule-store';

const T0 = new Date('2027-01-11T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Every chunk file in a backup directory. */
function chunkFiles(backupDir: string): string[] {
  const root = path.join(backupDir, 'chunks');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((folder) => fs.readdirSync(path.join(root, folder)));
}

describe('snapshot schedules: runDue takes snapshots, retention prunes them and collects their chunks', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;

  beforeAll(async () => {
    ({ db, deps } = await openSnapshotDb(6000));
  });
  afterAll(() => closeSnapshotDb(db, deps));

  const rewriteNotes = (tag: string) =>
    db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = '${tag} ' || id WHERE date < DATE '1961-01-01'`);
  const completedSnapshots = () => db.prisma.backup.findMany({ where: { kind: 'INCREMENTAL', status: 'COMPLETED' } });

  it('an INCREMENTAL backup schedule makes SCHEDULED snapshots; keepLast prunes the oldest and gc takes its unique chunks', async () => {
    const schedule = await addSchedule(
      { cron: '*/5 * * * *', timezone: 'UTC', backupKind: 'INCREMENTAL', retention: { keepLast: 2 } },
      deps,
      T0,
    );
    expect(schedule).toMatchObject({ kind: 'BACKUP', backupKind: 'INCREMENTAL' });
    const ids: string[] = [];
    for (const [minute, tag] of [
      [6, 'first'],
      [11, 'second'],
      [16, 'third'],
    ] as const) {
      await rewriteNotes(tag);
      const due = await runDue(deps, { runnerId: 'runner-a', clock: () => at(minute) });
      expect(due.runs).toMatchObject([{ status: 'SUCCEEDED' }]);
      ids.push(due.runs[0]?.backupId as string);
    }
    const rows = await db.prisma.backup.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } });
    expect(rows.map(({ kind, type, scheduleId }) => ({ kind, type, scheduleId }))).toEqual(
      ids.map(() => ({ kind: 'INCREMENTAL', type: 'SCHEDULED', scheduleId: schedule.id })),
    );
    expect(rows.map((row) => row.status)).toEqual(['DELETED', 'COMPLETED', 'COMPLETED']);
    expect(fs.existsSync(path.join(deps.backupDir, rows[0]?.filename as string))).toBe(false);

    // The prune after the third snapshot collected the chunks only the first one referenced.
    const gc = await db.prisma.auditLog.findMany({ where: { action: 'backup.gc' } });
    expect(gc).toMatchObject([{ details: { chunksDeleted: expect.any(Number) } }]);
    expect((gc[0]?.details as { chunksDeleted?: number } | undefined)?.chunksDeleted).toBeGreaterThan(0);
    expect(chunkFiles(deps.backupDir)).toHaveLength(await db.prisma.backupChunk.count());
    for (const row of await completedSnapshots()) expect((await verifyBackup(row.id, deps)).valid).toBe(true);

    // The same through a prune called directly: its result carries the gc that followed.
    await rewriteNotes('fourth');
    await runDue(deps, { runnerId: 'runner-a', clock: () => at(21) });
    await updateSchedule(schedule.id, { retention: { keepLast: 1 } }, deps, at(22));
    const before = chunkFiles(deps.backupDir).length;
    const pruned = await pruneBackups({ scheduleId: schedule.id, dryRun: false }, deps, at(22));
    expect(pruned.removed).toHaveLength(1);
    expect(pruned.gc).toMatchObject({ chunksDeleted: expect.any(Number), bytesFreed: expect.any(Number) });
    const deleted = (pruned.gc as { chunksDeleted: number }).chunksDeleted;
    expect(deleted).toBeGreaterThan(0);
    expect(chunkFiles(deps.backupDir)).toHaveLength(before - deleted);
    const kept = await completedSnapshots();
    expect(kept).toHaveLength(1);
    expect((await verifyBackup(kept[0]?.id as string, deps)).valid).toBe(true);
  });

  it('refuses backupKind INCREMENTAL on a DRILL schedule, when added and when updated', async () => {
    const refusal = { code: 'INVALID_INPUT', message: 'A drill schedule makes no backups, so it cannot make snapshots' };
    const drills = await db.prisma.backupSchedule.count({ where: { kind: 'DRILL' } });
    await expect(
      addSchedule({ kind: 'DRILL', backupKind: 'INCREMENTAL', cron: '0 4 * * 0', timezone: 'UTC' }, deps, T0),
    ).rejects.toMatchObject(refusal);
    expect(await db.prisma.backupSchedule.count({ where: { kind: 'DRILL' } })).toBe(drills);
    const drill = await addSchedule({ kind: 'DRILL', cron: '0 4 * * 0', timezone: 'UTC' }, deps, T0);
    await expect(updateSchedule(drill.id, { backupKind: 'INCREMENTAL' }, deps, T0)).rejects.toMatchObject(refusal);
    expect(await db.prisma.backupSchedule.findUniqueOrThrow({ where: { id: drill.id } })).toMatchObject({ backupKind: 'FULL' });
  });
});
