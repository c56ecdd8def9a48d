import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type PrismaClient } from '@/generated/prisma/client';
import { verifyPassword } from '@/lib/auth/password';
import { createTestDb, type TTestDb } from '@/test/test-db';
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  deleteErpData,
  isDatabaseSeeded,
  SEEDED_MODELS,
  seedDatabase,
  type TSeedProgress,
  type TSeedReport,
} from './index';

async function countRows(prisma: PrismaClient, model: string): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${model}"`);
  return row?.count ?? -1;
}

async function scalar<T>(prisma: PrismaClient, sql: string): Promise<T> {
  const [row] = await prisma.$queryRawUnsafe<{ value: T }[]>(sql);
  return row?.value as T;
}

/** A digest of a few tables, row by row in id order; password hashes are left out as their salts are random. */
async function seedDigest(prisma: PrismaClient): Promise<string> {
  const queries = [
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "School" t',
    'SELECT md5(string_agg(concat_ws(\',\', id, "schoolId", email, name, role, "isActive", "lastLoginAt", "createdAt"), \'|\' ORDER BY id)) AS value FROM "User"',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "Staff" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "Student" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "Guardian" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "AttendanceRecord" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "ExamResult" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "Payment" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "BookLoan" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "StudentTransport" t',
    'SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) AS value FROM "Document" t',
  ];
  const parts: string[] = [];
  for (const sql of queries) parts.push(await scalar<string>(prisma, sql));
  return parts.join(':');
}

describe('seed at scale 1 with default settings', () => {
  let db: TTestDb;
  let report: TSeedReport;
  const progress: TSeedProgress[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    expect(await isDatabaseSeeded(db.prisma)).toBe(false);
    report = await seedDatabase(db.prisma, { scale: 1, onProgress: (step) => progress.push(step) });
  });
  afterAll(async () => {
    await db.close();
  });

  it('fills every model except the backup module’s and the sign-in state, and reports exactly what is in the database', async () => {
    expect(await isDatabaseSeeded(db.prisma)).toBe(true);
    for (const unseeded of [
      'Backup',
      'AuditLog',
      'BackupSchedule',
      'BackupScheduleRun',
      'BackupChunk',
      'Session',
      'LoginThrottle',
    ] as const)
      expect(SEEDED_MODELS).not.toContain(unseeded);
    for (const model of Object.values(Prisma.ModelName)) {
      const count = await countRows(db.prisma, model);
      if (!SEEDED_MODELS.includes(model)) {
        expect(count, model).toBe(0);
        expect(report.rowsPerModel[model], model).toBeUndefined();
      } else {
        expect(count, model).toBeGreaterThan(0);
        expect(report.rowsPerModel[model], model).toBe(count);
      }
    }
    expect(Object.keys(report.rowsPerModel).sort()).toEqual([...SEEDED_MODELS].sort());
    expect(report.totalRows).toBe(Object.values(report.rowsPerModel).reduce((sum, count) => sum + count, 0));
    expect(report.schools).toBe(1);
    expect(report.rowsPerSecond).toBeGreaterThan(0);
    expect(progress).toEqual([{ school: 1, schools: 1, rows: report.totalRows }]);
  });

  it('gives a school about 500 students in sections of 25 to 30', async () => {
    expect(await countRows(db.prisma, 'Enrollment')).toBe(500);
    const sizes = await db.prisma.enrollment.groupBy({ by: ['sectionId'], _count: true });
    for (const section of sizes) {
      expect(section._count).toBeGreaterThanOrEqual(25);
      expect(section._count).toBeLessThanOrEqual(30);
    }
    // Every guardian-student pair is one row; siblings share guardians.
    const perStudent = await db.prisma.studentGuardian.groupBy({ by: ['studentId'], _count: true });
    expect(perStudent).toHaveLength(await countRows(db.prisma, 'Student'));
    expect(perStudent.every((student) => student._count >= 1 && student._count <= 2)).toBe(true);
    const shared = await db.prisma.studentGuardian.groupBy({
      by: ['guardianId'],
      _count: true,
      having: { guardianId: { _count: { gt: 1 } } },
    });
    expect(shared.length).toBeGreaterThan(0);
  });

  it('records every enrolled student on every school day of the first term, skipping weekends and holidays', async () => {
    const days = await scalar<number>(db.prisma, 'SELECT count(DISTINCT date)::int AS value FROM "AttendanceRecord"');
    expect(days).toBeGreaterThanOrEqual(55);
    expect(days).toBeLessThanOrEqual(60);
    expect(await countRows(db.prisma, 'AttendanceRecord')).toBe(500 * days);
    expect(
      await scalar<number>(db.prisma, 'SELECT count(*)::int AS value FROM "AttendanceRecord" WHERE extract(isodow FROM date) IN (6, 7)'),
    ).toBe(0);
    expect(
      await scalar<number>(db.prisma, 'SELECT count(*)::int AS value FROM "AttendanceRecord" a JOIN "Holiday" h ON h.date = a.date'),
    ).toBe(0);
    const present = await db.prisma.attendanceRecord.count({ where: { status: 'PRESENT' } });
    expect(present / (500 * days)).toBeGreaterThan(0.85);
    expect(await db.prisma.attendanceRecord.count({ where: { status: 'LATE', minutesLate: null } })).toBe(0);
  });

  it('writes every scalar kind: bytes, big integers, decimals, floats, JSON, lists', async () => {
    const photo = await db.prisma.student.findFirstOrThrow({ where: { photo: { not: null } } });
    expect(
      Buffer.from(photo.photo ?? new Uint8Array())
        .subarray(0, 4)
        .toString('hex'),
    ).toBe('89504e47');
    expect(await db.prisma.student.count({ where: { photo: null } })).toBeGreaterThan(0);

    for (const document of await db.prisma.document.findMany()) {
      expect(document.sizeBytes).toBe(BigInt(document.content.length));
      expect(document.sha256).toBe(createHash('sha256').update(document.content).digest('hex'));
    }

    const result = await db.prisma.examResult.findFirstOrThrow({ where: { percentile: { not: null } } });
    expect(result.marks).toBeInstanceOf(Prisma.Decimal);
    expect(typeof result.percentile).toBe('number');
    expect(await db.prisma.examResult.count({ where: { percentile: null } })).toBeGreaterThan(0);
    const fee = await db.prisma.feeStructure.findFirstOrThrow({ where: { lateFeeRate: { not: null } } });
    expect(fee.lateFeeRate?.toFixed(4)).toBe('0.0150');
    const stop = await db.prisma.transportStop.findFirstOrThrow();
    expect(Number.isInteger(stop.latitude)).toBe(false);

    expect(await db.prisma.payment.count({ where: { gatewayResponse: { equals: Prisma.DbNull } } })).toBeGreaterThan(0);
    expect(await db.prisma.payment.count({ where: { gatewayResponse: { equals: Prisma.JsonNull } } })).toBeGreaterThan(0);
    const answered = await db.prisma.payment.findFirstOrThrow({
      where: { method: 'CARD', NOT: [{ gatewayResponse: { equals: Prisma.AnyNull } }] },
    });
    expect(answered.gatewayResponse).toMatchObject({ status: 'succeeded' });
    expect(await db.prisma.payment.count({ where: { method: 'CASH', NOT: [{ gatewayResponse: { equals: Prisma.DbNull } }] } })).toBe(0);
    expect(await db.prisma.schoolSetting.count({ where: { previousValue: { equals: Prisma.DbNull } } })).toBeGreaterThan(0);
    expect(await db.prisma.schoolSetting.count({ where: { NOT: [{ previousValue: { equals: Prisma.DbNull } }] } })).toBeGreaterThan(0);

    expect(await db.prisma.student.count({ where: { allergies: { isEmpty: true } } })).toBeGreaterThan(0);
    expect(await db.prisma.student.count({ where: { allergies: { isEmpty: false } } })).toBeGreaterThan(0);
    expect(await db.prisma.staff.count({ where: { qualifications: { isEmpty: false } } })).toBeGreaterThan(0);
    expect(await db.prisma.libraryBook.count({ where: { tags: { has: 'textbook' } } })).toBeGreaterThan(0);
    // Read back rather than filtered with `has`: the PGlite adapter cannot bind an enum-list filter.
    const audiences = (await db.prisma.announcement.findMany({ select: { audience: true } })).map((announcement) => announcement.audience);
    expect(audiences.some((audience) => audience.length === 0)).toBe(true);
    expect(audiences.some((audience) => audience.includes('PARENT') && audience.includes('TEACHER'))).toBe(true);
    expect(await db.prisma.bookLoan.count({ where: { fine: { not: null } } })).toBeGreaterThan(0);
    expect(await db.prisma.bookLoan.count({ where: { returnedAt: null } })).toBeGreaterThan(0);
    const subjects = await db.prisma.subject.findMany({ orderBy: { id: 'asc' } });
    expect(subjects.map((subject) => subject.id)).toEqual(subjects.map((_, i) => (subjects[0]?.id ?? 0) + i));
  });

  it('builds the staff hierarchy with the principal at the root and teachers under vice-principals', async () => {
    const staff = await db.prisma.staff.findMany({ include: { manager: true } });
    const roots = staff.filter((member) => member.managerId === null);
    expect(roots.map((member) => member.position)).toEqual(['PRINCIPAL']);
    for (const teacher of staff.filter((member) => member.position === 'TEACHER')) expect(teacher.manager?.position).toBe('VICE_PRINCIPAL');
    const byId = new Map(staff.map((member) => [member.id, member]));
    for (const member of staff) {
      let current = member;
      for (let hops = 0; current.managerId && hops < 5; hops++) current = byId.get(current.managerId) ?? current;
      expect(current.position).toBe('PRINCIPAL');
    }
  });

  it('creates one working demo account per role, in the first school except the super admin', async () => {
    const firstSchool = await db.prisma.school.findUniqueOrThrow({ where: { code: 'SCH001' } });
    for (const account of DEMO_ACCOUNTS) {
      const user = await db.prisma.user.findUniqueOrThrow({
        where: { email: account.email },
        include: { staff: true, student: true, guardian: true },
      });
      expect(user.role).toBe(account.role);
      expect(user.isActive).toBe(true);
      expect(user.schoolId).toBe(account.role === 'SUPER_ADMIN' ? null : firstSchool.id);
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash)).toBe(true);
      if (account.role === 'TEACHER') expect(await db.prisma.section.count({ where: { homeroomTeacherId: user.staff?.id } })).toBe(1);
      if (account.role === 'PARENT') {
        const student = await db.prisma.user.findUniqueOrThrow({ where: { email: 'student@demo.school' }, include: { student: true } });
        const link = await db.prisma.studentGuardian.findUniqueOrThrow({
          where: { studentId_guardianId: { studentId: student.student?.id ?? '', guardianId: user.guardian?.id ?? '' } },
        });
        expect(link.isPrimary).toBe(true);
      }
    }
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: 'admin@demo.school' } });
    expect(await verifyPassword('wrong password', admin.passwordHash)).toBe(false);
  });

  it('rejects options it cannot honour', async () => {
    await expect(seedDatabase(db.prisma, { scale: 0 })).rejects.toThrow(/scale must be/);
    await expect(seedDatabase(db.prisma, { scale: 1, seed: -1 })).rejects.toThrow(/seed must be/);
    await expect(seedDatabase(db.prisma, { scale: 1, studentsPerSchool: 5 })).rejects.toThrow(/studentsPerSchool must be/);
  });

  it('refuses to seed a database that already has schools', async () => {
    await expect(seedDatabase(db.prisma, { scale: 1 })).rejects.toThrow(/already has schools/);
  });

  it('deletes all ERP data but keeps backups and the audit log, and a reseed gives the same data', async () => {
    const before = await seedDigest(db.prisma);
    await db.prisma.backup.create({ data: { filename: 'kept.erpb', type: 'MANUAL', status: 'COMPLETED' } });
    await db.prisma.auditLog.create({ data: { action: 'backup.create', outcome: 'SUCCESS' } });
    await deleteErpData(db.prisma);
    for (const model of SEEDED_MODELS) expect(await countRows(db.prisma, model), model).toBe(0);
    expect(await db.prisma.backup.count()).toBe(1);
    expect(await db.prisma.auditLog.count()).toBe(1);
    await seedDatabase(db.prisma, { scale: 1 });
    expect(await seedDigest(db.prisma)).toBe(before);
  });
});

describe('seed determinism', () => {
  const databases: TTestDb[] = [];
  const seedInto = async (seed: number) => {
    const db = await createTestDb();
    databases.push(db);
    await seedDatabase(db.prisma, { scale: 2, seed, studentsPerSchool: 60 });
    return seedDigest(db.prisma);
  };
  afterAll(async () => {
    for (const db of databases) await db.close();
  });

  it('gives identical data for the same seed and different data for another seed', async () => {
    const first = await seedInto(7);
    const again = await seedInto(7);
    const other = await seedInto(8);
    expect(again).toBe(first);
    for (const [i, part] of other.split(':').entries()) expect(part, `table ${i}`).not.toBe(first.split(':')[i]);
    // Three databases, each migrated and seeded: allow for a busy machine.
  }, 180_000);
});
