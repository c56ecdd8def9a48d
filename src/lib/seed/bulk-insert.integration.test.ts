import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@/generated/prisma/client';
import { createTestDb, type TTestDb } from '@/test/test-db';
import { CHUNK_ROWS, insertRows, insertRowsReturning } from './bulk-insert';
import { addDays, utcDate } from './calendar';
import { announcementTable, documentTable, holidayTable, schoolSettingTable, schoolTable, studentTable, subjectTable } from './tables';

// Text that breaks naive array literals or quoting: the seed sends every column as a text[] parameter.
const AWKWARD = [
  'plain',
  'O\'Brien "Bob"',
  'a,b',
  '{braces}',
  'back\\slash',
  'NULL',
  '',
  '  spaces  ',
  'Zoë Łukasz Nguyễn 你好 🎒',
  'line\nbreak',
];

describe('bulk insert through Prisma raw queries', () => {
  let db: TTestDb;
  beforeAll(async () => {
    db = await createTestDb();
    await insertRows(db.prisma, schoolTable, [
      {
        id: 'school-1',
        code: 'S1',
        name: 'Test School',
        address: 'Somewhere',
        phone: null,
        email: null,
        timezone: 'UTC',
        foundedOn: utcDate('1999-12-31'),
        isActive: true,
        createdAt: new Date('2025-01-02T03:04:05.678Z'),
      },
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('round-trips awkward text in scalar and list columns, NULL and empty lists included', async () => {
    await insertRows(
      db.prisma,
      studentTable,
      AWKWARD.map((text, i) => ({
        id: `student-${i}`,
        schoolId: 'school-1',
        userId: null,
        admissionNo: `A-${i}`,
        firstName: text,
        lastName: 'Test',
        dateOfBirth: utcDate('2015-02-28'),
        gender: 'OTHER' as const,
        status: 'ACTIVE' as const,
        photo: i % 2 ? new Uint8Array([0, 1, 254, 255]) : null,
        allergies: i === 0 ? [] : AWKWARD.slice(0, i),
        medicalNotes: i % 3 ? text : null,
        createdAt: new Date('2025-01-02T03:04:05.678Z'),
      })),
    );
    const students = await db.prisma.student.findMany({ orderBy: { admissionNo: 'asc' } });
    for (const student of students) {
      const i = Number(student.admissionNo.slice(2));
      expect(student.firstName).toBe(AWKWARD[i]);
      expect(student.allergies).toEqual(i === 0 ? [] : AWKWARD.slice(0, i));
      expect(student.medicalNotes).toBe(i % 3 ? AWKWARD[i] : null);
      expect(student.photo === null ? null : [...student.photo]).toEqual(i % 2 ? [0, 1, 254, 255] : null);
      expect(student.dateOfBirth.toISOString()).toBe('2015-02-28T00:00:00.000Z');
      expect(student.createdAt.toISOString()).toBe('2025-01-02T03:04:05.678Z');
    }
    expect(students).toHaveLength(AWKWARD.length);
  });

  it('keeps JSON null, database NULL and JSON documents apart', async () => {
    await insertRows(db.prisma, schoolSettingTable, [
      {
        schoolId: 'school-1',
        key: 'object',
        value: { nested: { list: [1, 'two', null] }, quote: 'a"b' },
        previousValue: Prisma.DbNull,
        updatedAt: new Date(0),
      },
      { schoolId: 'school-1', key: 'json-null', value: Prisma.JsonNull, previousValue: Prisma.JsonNull, updatedAt: new Date(0) },
      { schoolId: 'school-1', key: 'string', value: 'null', previousValue: 42, updatedAt: new Date(0) },
    ]);
    const settings = await db.prisma.schoolSetting.findMany({ orderBy: { key: 'asc' } });
    expect(settings.map((setting) => [setting.key, setting.value, setting.previousValue])).toEqual([
      ['json-null', null, null],
      ['object', { nested: { list: [1, 'two', null] }, quote: 'a"b' }, null],
      ['string', 'null', 42],
    ]);
    expect(await db.prisma.schoolSetting.count({ where: { previousValue: { equals: Prisma.DbNull } } })).toBe(1);
    expect(await db.prisma.schoolSetting.count({ where: { previousValue: { equals: Prisma.JsonNull } } })).toBe(1);
  });

  it('writes bytes, big integers, enum lists and floats exactly', async () => {
    const content = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    await insertRows(db.prisma, documentTable, [
      {
        id: 'doc-1',
        schoolId: 'school-1',
        studentId: null,
        title: 'All bytes',
        mimeType: 'application/octet-stream',
        sizeBytes: 9_007_199_254_740_993n,
        sha256: 'x',
        content,
        uploadedAt: new Date(0),
      },
    ]);
    await insertRows(db.prisma, announcementTable, [
      {
        id: 'ann-1',
        schoolId: 'school-1',
        authorId: null,
        title: 't',
        body: 'b',
        audience: ['PARENT', 'STUDENT'],
        pinned: false,
        attachments: [],
        publishedAt: null,
        createdAt: new Date(0),
      },
    ]);
    const [subject] = await insertRowsReturning(
      db.prisma,
      subjectTable,
      [{ schoolId: 'school-1', code: 'X', name: 'X', credits: 0.1 + 0.2, isCore: false }],
      ['id'],
    );
    const document = await db.prisma.document.findUniqueOrThrow({ where: { id: 'doc-1' } });
    expect([...document.content]).toEqual([...content]);
    expect(document.sizeBytes).toBe(9_007_199_254_740_993n);
    const announcement = await db.prisma.announcement.findUniqueOrThrow({ where: { id: 'ann-1' } });
    expect(announcement.audience).toEqual(['PARENT', 'STUDENT']);
    expect(announcement.attachments).toEqual([]);
    expect((await db.prisma.subject.findUniqueOrThrow({ where: { id: Number(subject?.id) } })).credits).toBe(0.1 + 0.2);
  });

  it('splits large inputs into chunks and counts every row', async () => {
    const count = CHUNK_ROWS * 2 + 17;
    function* holidays() {
      for (let i = 0; i < count; i++) yield { schoolId: 'school-1', date: addDays(utcDate('2000-01-01'), i), name: `Day ${i}` };
    }
    expect(await insertRows(db.prisma, holidayTable, holidays())).toBe(count);
    expect(await db.prisma.holiday.count()).toBe(count);
  });
});
