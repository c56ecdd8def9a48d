import type { Prisma } from '@/generated/prisma/client';
import { attendanceRows } from './attendance';
import { insertRows, insertRowsReturning, type TSqlRunner, type TTable } from './bulk-insert';
import { documentRows } from './documents';
import { examResultRows, examRows } from './exams';
import { planFinance } from './finance';
import { loanRows, planLibrary } from './library';
import { announcementRows, settingRows } from './notices';
import type { TRandom } from './random';
import { planSchool } from './school-context';
import { planStaff } from './staff';
import { GRADE_LEVELS, planStructure, planTeaching, subjectRows } from './structure';
import { planStudents, type TGuardianRow } from './students';
import * as tables from './tables';
import { planTransport, studentTransportRows } from './transport';
import { planUsers, type TSeedPasswords } from './users';

/** Rows written per model. */
export type TRowCounts = Map<Prisma.ModelName, number>;

export interface TSchoolSeedInput {
  /** The stream of this school, forked from the seed. */
  random: TRandom;
  index: number;
  studentsPerSchool: number;
  passwords: TSeedPasswords;
  takenEmails: Set<string>;
}

function sortedIds(rows: readonly Record<'id', unknown>[]): number[] {
  // RETURNING order is not guaranteed, so sort for a reproducible seed.
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/**
 * Generates one school and inserts it, parents before children. Run it in a
 * transaction: a school is either complete or absent. Returns the rows
 * written per model.
 */
export async function seedSchool(db: TSqlRunner, input: TSchoolSeedInput): Promise<TRowCounts> {
  const counts: TRowCounts = new Map();
  const insert = async <TRow>(table: TTable<TRow>, rows: Iterable<TRow>) => {
    counts.set(table.name, (counts.get(table.name) ?? 0) + (await insertRows(db, table, rows)));
  };
  const insertReturning = async <TRow, const TKey extends string>(
    table: TTable<TRow>,
    rows: readonly TRow[],
    returning: readonly TKey[],
  ) => {
    const inserted = await insertRowsReturning(db, table, rows, returning);
    counts.set(table.name, (counts.get(table.name) ?? 0) + inserted.length);
    return inserted;
  };

  const { context, school } = planSchool(input.random, input.index, input.studentsPerSchool, input.takenEmails);
  const staff = planStaff(context);
  const structure = planStructure(context, staff);
  const body = planStudents(context, structure);
  const users = planUsers(context, staff, body, input.passwords);
  const transport = planTransport(context, staff, body.enrolled);

  await insert(tables.schoolTable, [school]);
  await insert(tables.schoolSettingTable, settingRows(context));
  await insert(tables.userTable, users);
  await insert(tables.staffTable, staff.rows);
  await insert(tables.academicYearTable, [structure.year]);
  await insert(tables.termTable, structure.terms);
  await insert(tables.holidayTable, structure.holidays);
  await insert(tables.schoolClassTable, structure.classes);
  await insert(
    tables.sectionTable,
    structure.sections.map((section) => section.row),
  );
  const subjects = await insertReturning(tables.subjectTable, subjectRows(context), ['id', 'code']);
  const subjectIds = new Map(subjects.map((subject) => [String(subject.code), Number(subject.id)]));
  const teaching = planTeaching(context, structure, staff, subjectIds);
  await insert(tables.teachingAssignmentTable, teaching.assignments);
  await insert(tables.timetableSlotTable, teaching.timetable);

  await insert(tables.studentTable, body.students);
  await insert(tables.guardianTable, body.guardians);
  await insert(tables.studentGuardianTable, body.links);
  await insert(tables.enrollmentTable, body.enrollments);
  await insert(tables.attendanceRecordTable, attendanceRows(context, body.enrolled, structure.attendanceDays));
  const exams = examRows(context, structure);
  await insert(tables.examTable, exams);
  await insert(tables.examResultTable, examResultRows(context, exams, body.enrolled, subjectIds));

  const finance = planFinance(context, structure, body.enrolled, new Set(transport.riders.map((rider) => rider.row.id)));
  await insert(tables.feeStructureTable, finance.fees);
  await insert(tables.invoiceTable, finance.invoices);
  await insert(tables.paymentTable, finance.payments);

  const books = await insertReturning(tables.libraryBookTable, planLibrary(context, GRADE_LEVELS).books, ['id']);
  await insert(tables.bookLoanTable, loanRows(context, body.enrolled, sortedIds(books), structure.attendanceDays));

  await insert(tables.transportRouteTable, transport.routes);
  const stops = await insertReturning(tables.transportStopTable, transport.stops, ['id']);
  await insert(tables.studentTransportTable, studentTransportRows(context, transport, sortedIds(stops)));

  await insert(tables.announcementTable, announcementRows(context, users));
  const guardianById = new Map(body.guardians.map((guardian) => [guardian.id, guardian]));
  const primaryGuardianOf = new Map<string, TGuardianRow>();
  for (const link of body.links) {
    const guardian = guardianById.get(link.guardianId);
    if (link.isPrimary && guardian) primaryGuardianOf.set(link.studentId, guardian);
  }
  await insert(tables.documentTable, documentRows(context, school, structure, body.enrolled, primaryGuardianOf));
  return counts;
}
