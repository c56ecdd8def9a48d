import type { AttendanceStatus } from '@/generated/prisma/client';
import { atTime } from './calendar';
import type { TSchoolContext } from './school-context';
import type { TEnrolledStudent } from './students';
import type { attendanceRecordTable, TRowOf } from './tables';

type TAttendanceRow = TRowOf<typeof attendanceRecordTable>;

const EXCUSED_NOTES = [
  'Medical appointment',
  'Family bereavement',
  'Religious observance',
  'Representing the school at a tournament',
  'Dental appointment',
];
const ABSENT_NOTES = ['Parent phoned: unwell', 'No contact from home', 'Parent e-mailed: family emergency'];

/**
 * The daily register of the seeded term: one row per enrolled student per
 * school day, written by the homeroom teacher before first period. Most
 * students are nearly always present; a few are often absent or late, as in
 * real schools. A generator, so the ~30k rows of a school stream into the
 * inserts without being held at once.
 */
export function* attendanceRows(
  context: TSchoolContext,
  enrolled: readonly TEnrolledStudent[],
  days: readonly Date[],
): Generator<TAttendanceRow> {
  const random = context.random('attendance');
  // Cubing a uniform number makes most rates small and a few large.
  const habits = enrolled.map(() => ({ absent: 0.015 + 0.12 * random.next() ** 3, late: 0.01 + 0.08 * random.next() ** 3 }));
  for (const day of days) {
    const registerTaken = new Map<string, Date>();
    for (const [i, { row, section }] of enrolled.entries()) {
      let recordedAt = registerTaken.get(section.row.id);
      if (!recordedAt) {
        recordedAt = atTime(day, 8, random.int(25, 40));
        registerTaken.set(section.row.id, recordedAt);
      }
      const habit = habits[i] as (typeof habits)[number];
      const roll = random.next();
      let status: AttendanceStatus = 'PRESENT';
      if (roll < habit.absent) status = 'ABSENT';
      else if (roll < habit.absent + habit.late) status = 'LATE';
      else if (roll < habit.absent + habit.late + 0.008) status = 'EXCUSED';
      yield {
        studentId: row.id,
        sectionId: section.row.id,
        date: day,
        status,
        minutesLate: status === 'LATE' ? random.int(3, 45) : null,
        note:
          status === 'EXCUSED' ? random.pick(EXCUSED_NOTES) : status === 'ABSENT' && random.chance(0.3) ? random.pick(ABSENT_NOTES) : null,
        recordedById: section.row.homeroomTeacherId,
        recordedAt,
      };
    }
  }
}
