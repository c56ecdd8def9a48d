import { type AttendanceStatus, Prisma, type PrismaClient } from '@/generated/prisma/client';
import { insertRows, type TSqlRunner } from '@/lib/seed/bulk-insert';
import { createRandom, type TRandom } from '@/lib/seed/random';
import { attendanceRecordTable, paymentTable } from '@/lib/seed/tables';

/**
 * A simulated school day for the snapshot benchmark (issue 14): one new
 * attendance register for every enrolled student, about 500 updated rows
 * over five models (exam marks corrected, invoices paid, loans returned,
 * salaries and medical notes changed), 100 new payments and 50 deleted rows
 * (library loans and old attendance: neither cascades). Deterministic: the
 * same seed and the same database give the same changes. Only loans still
 * open are returned, so once the seed's open loans are used up (about day 9
 * at scale 10) a day updates 100 rows fewer.
 */

/** Rows the day touched, per kind of change. */
export interface TSchoolDayCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/** Per-day volumes: the figures issue 14's "school day" names. */
const UPDATES = { examResult: 200, invoice: 100, bookLoan: 100, staff: 50, student: 50 } as const;
const DELETES = { bookLoan: 25, attendance: 25 } as const;

const DAY_MS = 86_400_000;

/** One student's register line: whom and where, as on the seeded term's last day. */
interface TRegisterLine {
  studentId: string;
  sectionId: string;
  recordedById: string | null;
}

/** What the days pick their rows from, read once (ids only, sorted so the picks are deterministic). */
export interface TSchoolDayPlan {
  /** The day after the seeded term's last register (day 1's date). */
  firstDate: Date;
  register: TRegisterLine[];
  examResultIds: number[];
  /** Invoices not yet paid (each is paid at most once). */
  unpaidInvoices: { id: string; amount: string }[];
  /** Loans not yet returned. */
  openLoanIds: number[];
  staffIds: string[];
  studentIds: string[];
  /** Loans and attendance rows of the seed, for deletion. */
  loanIds: number[];
  oldAttendanceIds: bigint[];
  random: TRandom;
}

const ids = async <T>(db: PrismaClient, sql: string, ...values: unknown[]) =>
  (await db.$queryRawUnsafe<{ id: T }[]>(sql, ...values)).map((row) => row.id);

/**
 * Where a day's updates and deletes fall: `scattered` picks rows anywhere in
 * the school's history (the worst case for chunk reuse: each change lands in
 * a chunk of its own); `recent` picks among the newest rows of each model
 * (ids grow with time: cuids and sequences), as a real day mostly does —
 * the latest exam's marks, this term's invoices, loans still out, the last
 * register's mistakes.
 */
export type TDayFocus = 'scattered' | 'recent';

/** How many of the newest rows a `recent` day picks from, per model. */
const RECENT_ROWS = 2000;

/** Reads what the school days will change. `seed` fixes the sequence of days. */
export async function planSchoolDays(db: PrismaClient, seed: number, focus: TDayFocus = 'scattered'): Promise<TSchoolDayPlan> {
  // The newest RECENT_ROWS, newest first: a fixed order, so the picks stay deterministic.
  const pool = (order: string) => (focus === 'recent' ? `${order} DESC LIMIT ${RECENT_ROWS}` : order);
  const [last] = await db.$queryRawUnsafe<{ date: Date }[]>(`SELECT max("date") AS date FROM "AttendanceRecord"`);
  if (!last?.date) throw new Error('The seeded database has no attendance to continue from');
  const register = await db.$queryRawUnsafe<TRegisterLine[]>(
    `SELECT "studentId", "sectionId", "recordedById" FROM "AttendanceRecord" WHERE "date" = $1::date ORDER BY "studentId"`,
    last.date.toISOString().slice(0, 10),
  );
  return {
    firstDate: new Date(last.date.getTime() + DAY_MS),
    register,
    examResultIds: await ids<number>(db, `SELECT id FROM "ExamResult" ORDER BY ${pool('id')}`),
    unpaidInvoices: await db.$queryRawUnsafe<{ id: string; amount: string }[]>(
      `SELECT id, amount::text AS amount FROM "Invoice" WHERE status IN ('ISSUED', 'PARTIALLY_PAID') ORDER BY ${pool('id')}`,
    ),
    openLoanIds: await ids<number>(db, `SELECT id FROM "BookLoan" WHERE "returnedAt" IS NULL ORDER BY ${pool('id')}`),
    staffIds: await ids<string>(db, `SELECT id FROM "Staff" ORDER BY ${pool('id')}`),
    studentIds: await ids<string>(db, `SELECT id FROM "Student" ORDER BY ${pool('id')}`),
    loanIds: await ids<number>(db, `SELECT id FROM "BookLoan" ORDER BY ${pool('id')}`),
    oldAttendanceIds: await ids<bigint>(
      db,
      `SELECT id FROM "AttendanceRecord" WHERE "date" < $1::date ORDER BY ${focus === 'recent' ? `id DESC LIMIT ${RECENT_ROWS}` : 'id LIMIT 200000'}`,
      last.date.toISOString().slice(0, 10),
    ),
    random: createRandom(seed),
  };
}

/** Takes `count` distinct items out of `items` (they are not picked again on a later day). */
function takeRandom<T>(random: TRandom, items: T[], count: number): T[] {
  const taken: T[] = [];
  for (let i = 0; i < count && items.length > 0; i++) {
    const at = random.int(0, items.length - 1);
    taken.push(items[at] as T);
    items[at] = items[items.length - 1] as T;
    items.pop();
  }
  return taken;
}

/** The date of school day `day` (1-based). Calendar days: weekends do not matter to the data's shape. */
export const schoolDayDate = (plan: TSchoolDayPlan, day: number) => new Date(plan.firstDate.getTime() + (day - 1) * DAY_MS);

function* registerRows(plan: TSchoolDayPlan, random: TRandom, date: Date) {
  const recordedAt = new Date(date.getTime() + 8.5 * 3_600_000);
  for (const line of plan.register) {
    const roll = random.next();
    const status: AttendanceStatus = roll < 0.04 ? 'ABSENT' : roll < 0.07 ? 'LATE' : roll < 0.078 ? 'EXCUSED' : 'PRESENT';
    yield {
      ...line,
      date,
      status,
      minutesLate: status === 'LATE' ? random.int(3, 45) : null,
      note: status === 'EXCUSED' ? 'Medical appointment' : null,
      recordedAt,
    };
  }
}

/** `UPDATE … FROM unnest(…)`: one statement per model, the values as text arrays (as the seed's inserts pass them). */
async function updateEach(db: TSqlRunner, sql: string, ...columns: unknown[][]): Promise<number> {
  if ((columns[0]?.length ?? 0) === 0) return 0;
  return db.$executeRawUnsafe(sql, ...columns.map((column) => column.map(String)));
}

/** Applies school day `day` to the database, in one transaction. */
export async function applySchoolDay(db: PrismaClient, plan: TSchoolDayPlan, day: number): Promise<TSchoolDayCounts> {
  const random = plan.random;
  const date = schoolDayDate(plan, day);
  const at = new Date(date.getTime() + 14 * 3_600_000);
  const marks = takeRandom(random, [...plan.examResultIds], UPDATES.examResult);
  const paid = takeRandom(random, plan.unpaidInvoices, UPDATES.invoice);
  const returned = takeRandom(random, plan.openLoanIds, UPDATES.bookLoan);
  const staff = takeRandom(random, [...plan.staffIds], UPDATES.staff);
  const students = takeRandom(random, [...plan.studentIds], UPDATES.student);
  const loansGone = takeRandom(
    random,
    plan.loanIds.filter((id) => !returned.includes(id)),
    DELETES.bookLoan,
  );
  const attendanceGone = takeRandom(random, plan.oldAttendanceIds, DELETES.attendance);
  // A deleted loan can be neither returned later nor deleted twice.
  plan.loanIds = plan.loanIds.filter((id) => !loansGone.includes(id));
  plan.openLoanIds = plan.openLoanIds.filter((id) => !loansGone.includes(id));

  return db.$transaction(
    async (tx) => {
      let inserted = await insertRows(tx, attendanceRecordTable, registerRows(plan, random, date));
      inserted += await insertRows(
        tx,
        paymentTable,
        paid.map((invoice, i) => ({
          id: `cbenchpay${String(day).padStart(4, '0')}${String(i).padStart(12, '0')}`,
          invoiceId: invoice.id,
          amount: invoice.amount,
          paidAt: at,
          method: 'BANK_TRANSFER' as const,
          reference: `BT-${day}-${i}`,
          gatewayResponse: Prisma.DbNull,
        })),
      );
      let updated = await updateEach(
        tx,
        `UPDATE "ExamResult" e SET marks = u.m::numeric, remarks = 'Re-marked' FROM unnest($1::text[], $2::text[]) AS u(id, m) WHERE e.id = u.id::int`,
        marks,
        marks.map(() => (random.int(2000, 10000) / 100).toFixed(2)),
      );
      updated += await updateEach(
        tx,
        `UPDATE "Invoice" i SET status = 'PAID' FROM unnest($1::text[]) AS u(id) WHERE i.id = u.id`,
        paid.map((invoice) => invoice.id),
      );
      // One returned-at timestamp for all: passed apart from the id list.
      updated += await tx.$executeRawUnsafe(
        `UPDATE "BookLoan" SET "returnedAt" = $2::timestamp WHERE id = ANY($1::int[])`,
        returned.map(String),
        at.toISOString(),
      );
      updated += await updateEach(
        tx,
        `UPDATE "Staff" s SET salary = round(s.salary * u.f::numeric, 2) FROM unnest($1::text[], $2::text[]) AS u(id, f) WHERE s.id = u.id`,
        staff,
        staff.map(() => (1 + random.int(1, 50) / 1000).toFixed(3)),
      );
      updated += await updateEach(
        tx,
        `UPDATE "Student" s SET "medicalNotes" = u.n FROM unnest($1::text[], $2::text[]) AS u(id, n) WHERE s.id = u.id`,
        students,
        students.map(() => random.pick(['Mild asthma: inhaler in the office', 'Broken wrist, no PE for 6 weeks', 'Hay fever'])),
      );
      let deleted = await tx.$executeRawUnsafe(`DELETE FROM "BookLoan" WHERE id = ANY($1::int[])`, loansGone.map(String));
      deleted += await tx.$executeRawUnsafe(`DELETE FROM "AttendanceRecord" WHERE id = ANY($1::bigint[])`, attendanceGone.map(String));
      return { inserted, updated, deleted };
    },
    { maxWait: 30_000, timeout: 10 * 60_000 },
  );
}

/** Deletes day `day`'s register: the "wreck" before the restore of the last snapshot. */
export async function deleteSchoolDayRegister(db: PrismaClient, plan: TSchoolDayPlan, day: number): Promise<number> {
  return db.$executeRawUnsafe(
    `DELETE FROM "AttendanceRecord" WHERE "date" = $1::date`,
    schoolDayDate(plan, day).toISOString().slice(0, 10),
  );
}
