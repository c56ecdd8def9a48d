import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getActiveProgress } from '@/lib/backup/process/progress';
import { createBackup, restoreBackup, restoreFromFile, verifyBackup } from '@/lib/backup/service';
import { seedDatabase } from '@/lib/seed';
import { createTestBackupDeps } from '@/test/backup-deps';
import { writeCraftedBackup } from '@/test/craft-file';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

/** Prisma client delegates the earlier service exported, under the names it used. */
const LEGACY_DELEGATES = {
  schools: 'school',
  schoolSettings: 'schoolSetting',
  users: 'user',
  academicYears: 'academicYear',
  terms: 'term',
  staff: 'staff',
  students: 'student',
  guardians: 'guardian',
  studentGuardians: 'studentGuardian',
  schoolClasses: 'schoolClass',
  sections: 'section',
  subjects: 'subject',
} as const;

/** Serialises rows the way the earlier service did: plain JSON.stringify, with Bytes as Node Buffers. */
function legacyJson(value: unknown): unknown {
  // Prisma 7 returns Bytes as Uint8Array (possibly from another realm); Prisma 5 gave Buffers.
  return JSON.parse(
    JSON.stringify(value, (_key, v) => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toJSON() : v)),
  );
}

// A hundred thousand rows through a backup and a restore: seconds on a quiet machine, minutes on a loaded one.
describe('seeded school data', { timeout: 240_000 }, () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;
  beforeAll(async () => {
    db = await createTestDb();
    deps = createTestBackupDeps(db);
    await seedDatabase(db.prisma, { scale: 1, studentsPerSchool: 120 });
    // Enough attendance history to make the backup stream well past 100k rows.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "AttendanceRecord" ("studentId", "sectionId", date, status, "recordedAt")
      SELECT e."studentId", e."sectionId", d::date, (ARRAY['PRESENT','ABSENT','LATE','EXCUSED']::"AttendanceStatus"[])[1 + (abs(hashtext(e."studentId" || d::text)) % 4)], d
      FROM "Enrollment" e CROSS JOIN generate_series(timestamp '2021-09-01', timestamp '2024-04-30', interval '1 day') AS d`);
  }, 240_000);
  afterAll(async () => {
    deps.cleanup();
    await db.close();
  });

  it('round-trips a seeded school with 100k+ rows, table by table', async () => {
    const before = await dumpTables(db.prisma);
    const total = Object.values(before).reduce((sum, rows) => sum + rows.length, 0);
    expect(total).toBeGreaterThan(100_000);
    const backup = await createBackup({}, deps);
    expect(backup.totalRows).toBeGreaterThanOrEqual(total);

    await db.prisma.$executeRawUnsafe('DELETE FROM "AttendanceRecord" WHERE date < $1::date', '2024-01-01');
    await db.prisma.student.updateMany({ data: { medicalNotes: 'overwritten' } });

    const result = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, deps);
    expect(result.recordsRestored).toBe(total);
    const after = await dumpTables(db.prisma);
    for (const table of Object.keys(before)) expect(after[table]?.length, table).toBe(before[table]?.length);
    expect(after).toEqual(before);
  });

  it('reads one consistent snapshot while the ERP keeps writing', async () => {
    const schoolsBefore = await db.prisma.school.count();
    const attendanceBefore = await db.prisma.attendanceRecord.count();
    const creating = createBackup({}, deps);
    // Once the export is under way, another connection writes a new school and attendance.
    while ((getActiveProgress()?.rowsDone ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const writing = (async () => {
      const school = await db.prisma.school.create({ data: { code: 'LATE', name: 'Written during the backup', address: 'x' } });
      await db.prisma.$executeRawUnsafe(
        `INSERT INTO "AttendanceRecord" ("studentId", "sectionId", date, status) SELECT "studentId", "sectionId", DATE '2030-01-01', 'PRESENT' FROM "Enrollment" LIMIT 5`,
      );
      return school;
    })();
    const backup = await creating;
    await writing;
    expect(backup.rowCounts?.School).toBe(schoolsBefore);
    expect(backup.rowCounts?.AttendanceRecord).toBe(attendanceBefore);
    // The rows in the file agree with the counts taken at the start: nothing written later crept in.
    expect((await verifyBackup(backup.id, deps)).valid).toBe(true);
    expect(await db.prisma.school.count()).toBe(schoolsBefore + 1);
    await db.prisma.$executeRawUnsafe(`DELETE FROM "AttendanceRecord" WHERE date = DATE '2030-01-01'`);
    await db.prisma.school.deleteMany({ where: { code: 'LATE' } });
  });

  it('restores a file written by the earlier service, reporting what matched nothing', async () => {
    const models = Object.values(LEGACY_DELEGATES).map((delegate) => delegate.charAt(0).toUpperCase() + delegate.slice(1));
    const before = await dumpTables(db.prisma, models);
    const tables: Record<string, unknown> = { feePayments: [{ id: 'x', amount: '1.00' }] };
    for (const [name, delegate] of Object.entries(LEGACY_DELEGATES)) {
      const rows = await (db.prisma[delegate] as unknown as { findMany(): Promise<object[]> }).findMany();
      tables[name] = legacyJson(rows);
    }
    (tables.schools as Record<string, unknown>[])[0] = { ...(tables.schools as Record<string, unknown>[])[0], motto: 'not a field' };
    const file = path.join(deps.backupDir, 'legacy-backup.enc');
    await writeCraftedBackup(file, deps.keyring.current, JSON.stringify({ version: '1.0', timestamp: new Date().toISOString(), tables }));

    await db.prisma.student.updateMany({ data: { firstName: 'Changed' } });
    const result = await restoreFromFile(file, { confirm: true, safetyBackup: false }, deps);
    expect(await dumpTables(db.prisma, models)).toEqual(before);
    expect(result.unmatchedModels).toEqual(['feePayments']);
    expect(result.unmatchedFields).toEqual({ School: ['motto'] });
    // Models that reference restored ones but are not in the file were emptied, and the result says so.
    expect(result.modelsNotInBackup).toContain('AttendanceRecord');
    expect(await db.prisma.attendanceRecord.count()).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
  });
});
