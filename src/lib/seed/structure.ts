import { ACADEMIC_YEAR, holidaysForSchool, SEEDED_TERM, schoolDays } from './calendar';
import type { TSchoolContext } from './school-context';
import type { TStaffPlan, TTeacher } from './staff';
import { PERIOD_TIMES, SCHOOL_DAYS_PER_WEEK, SUBJECTS, type TSubjectPlan } from './subjects';
import type {
  academicYearTable,
  holidayTable,
  schoolClassTable,
  sectionTable,
  subjectTable,
  TRowOf,
  teachingAssignmentTable,
  termTable,
  timetableSlotTable,
} from './tables';

/** Grades 1 to 9: a primary and lower-secondary school. */
export const GRADE_LEVELS = 9;
const TARGET_SECTION_SIZE = 28;

export interface TSectionPlan {
  row: TRowOf<typeof sectionTable>;
  gradeLevel: number;
}

/** The school year, its terms and closures, classes and sections. */
export interface TStructurePlan {
  year: TRowOf<typeof academicYearTable>;
  terms: TRowOf<typeof termTable>[];
  /** The id of the term that has attendance and exams. */
  seededTermId: string;
  holidays: TRowOf<typeof holidayTable>[];
  /** The school days of the seeded term (weekdays that are not holidays). */
  attendanceDays: Date[];
  classes: TRowOf<typeof schoolClassTable>[];
  sections: TSectionPlan[];
  /** How many students each grade has. */
  studentsPerGrade: number[];
}

/** Splits `total` into `parts` near-equal whole numbers. */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** Plans the year, terms and holidays, and the classes (one per grade) with sections of about 28 students. */
export function planStructure(context: TSchoolContext, staff: TStaffPlan): TStructurePlan {
  const random = context.random('structure');
  const year = {
    id: context.id(),
    schoolId: context.schoolId,
    name: ACADEMIC_YEAR.name,
    startDate: ACADEMIC_YEAR.startDate,
    endDate: ACADEMIC_YEAR.endDate,
    isCurrent: true,
  };
  const terms = ACADEMIC_YEAR.terms.map((term) => ({ id: context.id(), academicYearId: year.id, ...term }));
  const plannedHolidays = holidaysForSchool(random);
  const studentsPerGrade = split(context.studentsPerSchool, GRADE_LEVELS);
  const classes: TRowOf<typeof schoolClassTable>[] = [];
  const sections: TSectionPlan[] = [];
  studentsPerGrade.forEach((students, i) => {
    const gradeLevel = i + 1;
    const schoolClass = { id: context.id(), schoolId: context.schoolId, academicYearId: year.id, name: `Grade ${gradeLevel}`, gradeLevel };
    classes.push(schoolClass);
    const sectionCount = Math.max(1, Math.round(students / TARGET_SECTION_SIZE));
    for (let s = 0; s < sectionCount; s++) {
      // Homerooms go to teachers in turn; with ~30 teachers and ~18 sections nobody has two.
      const homeroom = staff.teachers[sections.length % staff.teachers.length] as TTeacher;
      sections.push({
        gradeLevel,
        row: {
          id: context.id(),
          classId: schoolClass.id,
          name: String.fromCharCode(65 + s),
          capacity: 30,
          // Classes in the temporary building have no room number yet.
          room: random.chance(0.92) ? `${gradeLevel <= 4 ? 'A' : 'B'}${gradeLevel}.${String(s + 1).padStart(2, '0')}` : null,
          homeroomTeacherId: homeroom.row.id,
        },
      });
    }
  });
  return {
    year,
    terms,
    seededTermId: (terms[0] as (typeof terms)[number]).id,
    holidays: plannedHolidays.map((holiday) => ({ schoolId: context.schoolId, date: holiday.date, name: holiday.name })),
    attendanceDays: schoolDays(SEEDED_TERM.startDate, SEEDED_TERM.endDate, plannedHolidays),
    classes,
    sections,
    studentsPerGrade,
  };
}

/** Subject rows in catalogue order; their ids are assigned by the database. */
export function subjectRows(context: TSchoolContext): TRowOf<typeof subjectTable>[] {
  return SUBJECTS.map((subject) => ({
    schoolId: context.schoolId,
    code: subject.code,
    name: subject.name,
    credits: subject.credits,
    isCore: subject.isCore,
  }));
}

export interface TTeachingPlan {
  assignments: TRowOf<typeof teachingAssignmentTable>[];
  timetable: TRowOf<typeof timetableSlotTable>[];
}

/**
 * Who teaches what where, and when: each subject's sections are shared out
 * among the teachers of that subject, and each section's week holds every
 * subject as often as the catalogue says, in random order.
 */
export function planTeaching(
  context: TSchoolContext,
  structure: TStructurePlan,
  staff: TStaffPlan,
  subjectIds: ReadonlyMap<string, number>,
): TTeachingPlan {
  const random = context.random('timetable');
  const idOf = (subject: TSubjectPlan) => {
    const id = subjectIds.get(subject.code);
    if (id === undefined) throw new Error(`Subject ${subject.code} was not inserted`);
    return id;
  };
  const assignments: TRowOf<typeof teachingAssignmentTable>[] = [];
  for (const subject of SUBJECTS) {
    const teachers = staff.teachers.filter((teacher) => teacher.subject === subject);
    structure.sections.forEach((section, i) => {
      const teacher = teachers[i % teachers.length];
      if (!teacher) throw new Error(`Nobody teaches ${subject.code}`);
      assignments.push({ sectionId: section.row.id, subjectId: idOf(subject), staffId: teacher.row.id });
    });
  }
  const timetable: TRowOf<typeof timetableSlotTable>[] = [];
  const week = SUBJECTS.flatMap((subject) => Array.from({ length: subject.periodsPerWeek }, () => subject));
  if (week.length !== SCHOOL_DAYS_PER_WEEK * PERIOD_TIMES.length)
    throw new Error('The subject catalogue must fill the timetable week exactly');
  for (const section of structure.sections) {
    random.shuffle(week).forEach((subject, slot) => {
      const period = slot % PERIOD_TIMES.length;
      const [startsAt, endsAt] = PERIOD_TIMES[period] as readonly [string, string];
      timetable.push({
        sectionId: section.row.id,
        subjectId: idOf(subject),
        dayOfWeek: Math.floor(slot / PERIOD_TIMES.length) + 1,
        period: period + 1,
        startsAt,
        endsAt,
      });
    });
  }
  return { assignments, timetable };
}
