import type { Gender, StaffPosition } from '@/generated/prisma/client';
import { addDays, utcDate } from './calendar';
import { pickPersonName, pickTradition } from './names';
import type { TRandom } from './random';
import type { TSchoolContext } from './school-context';
import { SUBJECTS, type TSubjectPlan } from './subjects';
import type { staffTable, TRowOf } from './tables';

export type TStaffRow = TRowOf<typeof staffTable>;

export interface TTeacher {
  row: TStaffRow;
  subject: TSubjectPlan;
}

/** The staff of a school, in an order where every manager comes before their reports. */
export interface TStaffPlan {
  rows: TStaffRow[];
  principal: TStaffRow;
  teachers: TTeacher[];
  /** Staff by position, in hiring order. */
  byPosition: Record<StaffPosition, TStaffRow[]>;
}

// Annual salary bands in euros; converted to the school's currency.
const SALARY_EUROS: Record<StaffPosition, readonly [number, number]> = {
  PRINCIPAL: [68_000, 82_000],
  VICE_PRINCIPAL: [55_000, 64_000],
  TEACHER: [34_000, 52_000],
  ACCOUNTANT: [36_000, 46_000],
  LIBRARIAN: [30_000, 38_000],
  DRIVER: [24_000, 29_000],
  ADMINISTRATOR: [27_000, 40_000],
};

const LEADERSHIP = ['MEd Educational Leadership', 'National Professional Qualification for Headship', 'MA Education Management'];
const OTHER_QUALIFICATIONS: Record<'ACCOUNTANT' | 'LIBRARIAN' | 'DRIVER' | 'ADMINISTRATOR', readonly string[]> = {
  ACCOUNTANT: ['BCom Accounting', 'ACCA', 'CIMA Certificate in Business Accounting'],
  LIBRARIAN: ['MA Library and Information Science', 'BA English Literature', 'CILIP Chartership'],
  DRIVER: ['Category D licence', 'First aid certificate', 'Passenger transport CPC'],
  ADMINISTRATOR: ['BA Business Administration', 'Diploma in Office Management'],
};

/**
 * Teachers per subject: one each, then the rest by the D'Hondt method over
 * lessons per week, so Mathematics gets about twice the teachers of Music.
 */
function teacherSubjects(count: number): TSubjectPlan[] {
  const assigned = new Map(SUBJECTS.map((subject) => [subject, 1]));
  const result = [...SUBJECTS];
  while (result.length < count) {
    let best = SUBJECTS[0] as TSubjectPlan;
    for (const subject of SUBJECTS) {
      if (subject.periodsPerWeek / ((assigned.get(subject) ?? 0) + 1) > best.periodsPerWeek / ((assigned.get(best) ?? 0) + 1))
        best = subject;
    }
    assigned.set(best, (assigned.get(best) ?? 0) + 1);
    result.push(best);
  }
  return result;
}

/** How many of each position a school with this many students employs. */
export function staffCounts(students: number): Record<StaffPosition, number> {
  const large = students >= 300;
  return {
    PRINCIPAL: 1,
    VICE_PRINCIPAL: students >= 200 ? 2 : 1,
    TEACHER: Math.max(SUBJECTS.length, Math.round(students / 16)),
    ACCOUNTANT: large ? 2 : 1,
    LIBRARIAN: large ? 2 : 1,
    ADMINISTRATOR: large ? 3 : 1,
    DRIVER: routeCount(students),
  };
}

/** Bus routes (one driver each): one per 125 students. */
export function routeCount(students: number): number {
  return Math.max(1, Math.ceil(students / 125));
}

function qualificationsFor(random: TRandom, position: StaffPosition, subject: TSubjectPlan | undefined): string[] {
  switch (position) {
    case 'PRINCIPAL':
    case 'VICE_PRINCIPAL':
      return [random.pick(SUBJECTS).degree, 'PGCE', ...random.sample(LEADERSHIP, random.int(1, 2))];
    case 'TEACHER': {
      const list = [subject?.degree ?? random.pick(SUBJECTS).degree];
      if (random.chance(0.85)) list.push(random.pick(['PGCE', 'BEd', 'Teaching Diploma']));
      if (random.chance(0.25))
        list.push(random.pick(['MEd', 'MA Education', 'MSc Educational Technology', 'Special Educational Needs Certificate']));
      return list;
    }
    default: {
      // Some long-serving support staff have no formal qualification on file.
      if (random.chance(0.2)) return [];
      const options = OTHER_QUALIFICATIONS[position];
      return random.sample(options, random.int(1, options.length));
    }
  }
}

/** Generates the staff and their reporting lines: principal, vice-principals above the teachers, an office manager above support staff. */
export function planStaff(context: TSchoolContext): TStaffPlan {
  const random = context.random('staff');
  const counts = staffCounts(context.studentsPerSchool);
  const subjects = teacherSubjects(counts.TEACHER);
  const byPosition: Record<StaffPosition, TStaffRow[]> = {
    PRINCIPAL: [],
    VICE_PRINCIPAL: [],
    TEACHER: [],
    ACCOUNTANT: [],
    LIBRARIAN: [],
    DRIVER: [],
    ADMINISTRATOR: [],
  };
  const rows: TStaffRow[] = [];
  const teachers: TTeacher[] = [];

  const hire = (position: StaffPosition, managerId: string | null, subject?: TSubjectPlan): TStaffRow => {
    const gender: Gender = random.chance(position === 'DRIVER' ? 0.25 : 0.6) ? 'FEMALE' : 'MALE';
    const name = pickPersonName(random, pickTradition(random), gender);
    const [low, high] = SALARY_EUROS[position];
    const hiredYearsAgo = position === 'PRINCIPAL' ? random.int(6, 25) : random.int(0, 28);
    const row: TStaffRow = {
      id: context.id(),
      schoolId: context.schoolId,
      // Drivers do not use the ERP, so they have no login.
      userId: position === 'DRIVER' ? null : context.id(),
      employeeNo: `EMP-${String(rows.length + 1).padStart(4, '0')}`,
      firstName: name.firstName,
      lastName: name.lastName,
      position,
      hireDate: addDays(utcDate(`${2025 - hiredYearsAgo}-08-25`), -random.int(0, 60)),
      salary: context.money(Math.round(random.float(low, high) / 100) * 100),
      qualifications: qualificationsFor(random, position, subject),
      managerId,
    };
    rows.push(row);
    byPosition[position].push(row);
    if (subject) teachers.push({ row, subject });
    return row;
  };

  const principal = hire('PRINCIPAL', null);
  const vicePrincipals = Array.from({ length: counts.VICE_PRINCIPAL }, () => hire('VICE_PRINCIPAL', principal.id));
  const officeManager = hire('ADMINISTRATOR', principal.id);
  for (let i = 1; i < counts.ADMINISTRATOR; i++) hire('ADMINISTRATOR', officeManager.id);
  subjects.forEach((subject, i) => {
    hire('TEACHER', (vicePrincipals[i % vicePrincipals.length] as TStaffRow).id, subject);
  });
  const lastVicePrincipal = vicePrincipals[vicePrincipals.length - 1] as TStaffRow;
  for (let i = 0; i < counts.LIBRARIAN; i++) hire('LIBRARIAN', lastVicePrincipal.id);
  for (let i = 0; i < counts.ACCOUNTANT; i++) hire('ACCOUNTANT', officeManager.id);
  for (let i = 0; i < counts.DRIVER; i++) hire('DRIVER', officeManager.id);
  return { rows, principal, teachers, byPosition };
}
