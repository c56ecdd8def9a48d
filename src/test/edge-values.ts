import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '@/generated/prisma/client';

/**
 * A small school whose rows hold the edge values of every Prisma scalar
 * type: BigInt beyond 2^53, Decimal at full precision, Bytes with every byte
 * value, Json objects and JSON null next to database NULL, floats NaN,
 * ±Infinity and -0, DateTime milliseconds, enums and enum lists, String[]
 * with awkward characters, unicode, and a self-relation.
 */
export async function insertEdgeValues(prisma: PrismaClient): Promise<void> {
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const school = await prisma.school.create({
    data: {
      id: 'school_edge',
      code: 'EDGE',
      name: 'Escuela Niño 😀 — "Quotes" \\ back\\slash',
      address: 'Line 1\nLine 2\ttab',
      foundedOn: new Date('1901-02-03T00:00:00Z'),
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
    },
  });
  await prisma.schoolSetting.createMany({
    data: [
      {
        schoolId: school.id,
        key: 'grading',
        value: { scale: [90, 80, 70], labels: { a: 'Excellent' }, nested: { deep: [null, true, 1.5] } },
        previousValue: Prisma.DbNull,
      },
      { schoolId: school.id, key: 'motto', value: 'Über alles: 学习', previousValue: Prisma.JsonNull },
      { schoolId: school.id, key: 'count', value: 12345678901234, previousValue: { was: 'old' } },
    ],
  });
  const academicYear = await prisma.academicYear.create({
    data: { schoolId: school.id, name: '2026/27', startDate: new Date('2026-09-01'), endDate: new Date('2027-06-30'), isCurrent: true },
  });
  const principal = await prisma.staff.create({
    data: {
      schoolId: school.id,
      employeeNo: 'E1',
      firstName: 'Zoë',
      lastName: "O'Brien",
      position: 'PRINCIPAL',
      hireDate: new Date('2010-01-01'),
      salary: new Prisma.Decimal('9999999999.99'),
      qualifications: ['PhD, "Education"', 'a\\b', '{braces}', '', 'NULL', 'ünï'],
    },
  });
  await prisma.staff.create({
    data: {
      schoolId: school.id,
      employeeNo: 'E2',
      firstName: 'Łukasz',
      lastName: 'Nguyễn',
      position: 'TEACHER',
      hireDate: new Date('2020-01-01'),
      salary: new Prisma.Decimal('0.01'),
      qualifications: [],
      managerId: principal.id,
    },
  });
  const student = await prisma.student.create({
    data: {
      schoolId: school.id,
      admissionNo: 'A-1',
      firstName: '李',
      lastName: 'Ørsted',
      dateOfBirth: new Date('2012-12-31'),
      gender: 'OTHER',
      photo: allBytes,
      allergies: ['peanuts', 'lactose, mild'],
    },
  });
  await prisma.student.create({
    data: {
      schoolId: school.id,
      admissionNo: 'A-2',
      firstName: 'Empty',
      lastName: 'Photo',
      dateOfBirth: new Date('2013-01-01'),
      gender: 'FEMALE',
      photo: Buffer.alloc(0),
      allergies: [],
    },
  });
  const schoolClass = await prisma.schoolClass.create({
    data: { schoolId: school.id, academicYearId: academicYear.id, name: 'Grade 7', gradeLevel: 7 },
  });
  const section = await prisma.section.create({
    data: { classId: schoolClass.id, name: 'A', capacity: 30, homeroomTeacherId: principal.id },
  });
  await prisma.attendanceRecord.create({
    data: {
      id: 9_007_199_254_740_993n,
      studentId: student.id,
      sectionId: section.id,
      date: new Date('2026-09-02'),
      status: 'LATE',
      minutesLate: 7,
      recordedAt: new Date('2026-09-02T08:07:00.001Z'),
    },
  });
  await prisma.attendanceRecord.create({
    data: { id: 9_223_372_036_854_775_807n, studentId: student.id, sectionId: section.id, date: new Date('2026-09-03'), status: 'PRESENT' },
  });
  // Written as SQL literals: Prisma's parameter serialisation cannot carry
  // every one of these doubles, and the point is what the backup does with them.
  const subjectFloats = ['NaN', 'Infinity', '-Infinity', '-0', '4.9e-324', '1.7976931348623157e308', '0.30000000000000004'];
  for (const [index, credits] of subjectFloats.entries()) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Subject" ("schoolId", code, name, credits) VALUES ($1, $2, $3, '${credits}'::float8)`,
      school.id,
      `S${index}`,
      `Subject ${index}`,
    );
  }
  const fee = await prisma.feeStructure.create({
    data: {
      schoolId: school.id,
      academicYearId: academicYear.id,
      name: 'Tuition',
      amount: new Prisma.Decimal('12345678901234567890123456789012345.123456789012345678901234567890'),
      frequency: 'TERMLY',
      lateFeeRate: new Prisma.Decimal('-0.0001'),
    },
  });
  const invoice = await prisma.invoice.create({
    data: {
      schoolId: school.id,
      studentId: student.id,
      feeStructureId: fee.id,
      number: 'INV-1',
      dueDate: new Date('2026-10-01'),
      amount: new Prisma.Decimal('1500.50'),
    },
  });
  await prisma.payment.createMany({
    data: [
      {
        id: 'pay_json',
        invoiceId: invoice.id,
        amount: new Prisma.Decimal('500'),
        paidAt: new Date('2026-09-10T10:00:00.999Z'),
        method: 'CARD',
        gatewayResponse: { ok: true, code: '00', amount: 500.0, raw: null },
      },
      {
        id: 'pay_jsonnull',
        invoiceId: invoice.id,
        amount: new Prisma.Decimal('500'),
        paidAt: new Date('2026-09-11T10:00:00Z'),
        method: 'MOBILE_MONEY',
        gatewayResponse: Prisma.JsonNull,
      },
      {
        id: 'pay_dbnull',
        invoiceId: invoice.id,
        amount: new Prisma.Decimal('500.50'),
        paidAt: new Date('2026-09-12T10:00:00Z'),
        method: 'CASH',
        gatewayResponse: Prisma.DbNull,
      },
    ],
  });
  await prisma.announcement.create({
    data: {
      schoolId: school.id,
      title: 'Hello',
      body: 'Body with emoji 🎒',
      audience: ['PARENT', 'STUDENT'],
      attachments: [],
      publishedAt: new Date('2026-09-01T00:00:00.001Z'),
    },
  });
  const content = Buffer.from('%PDF-1.4 signed consent form\x00\xff');
  await prisma.document.create({
    data: {
      schoolId: school.id,
      studentId: student.id,
      title: 'Consent',
      mimeType: 'application/pdf',
      sizeBytes: 9_007_199_254_740_993n,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    },
  });
}
