import type { Gender, GuardianRelationship, StudentStatus } from '@/generated/prisma/client';
import { ACADEMIC_YEAR, addDays, atTime, utcDate } from './calendar';
import { OCCUPATIONS, type TNameTradition } from './name-data';
import { asciiSlug, pickGivenName, pickPersonName, pickTradition } from './names';
import { phoneNumber } from './places';
import { portraitPng, type TRgb } from './png';
import type { TRandom } from './random';
import { type TSchoolContext, uniqueEmail } from './school-context';
import type { TSectionPlan, TStructurePlan } from './structure';
import type { enrollmentTable, guardianTable, studentGuardianTable, studentTable, TRowOf } from './tables';

export type TStudentRow = TRowOf<typeof studentTable>;
export type TGuardianRow = TRowOf<typeof guardianTable>;

/** A student who attends this year, with where they sit. */
export interface TEnrolledStudent {
  row: TStudentRow;
  section: TSectionPlan;
}

export interface TStudentBody {
  students: TStudentRow[];
  /** The students with a section this year, grouped by section in roll-number order. */
  enrolled: TEnrolledStudent[];
  guardians: TGuardianRow[];
  links: TRowOf<typeof studentGuardianTable>[];
  enrollments: TRowOf<typeof enrollmentTable>[];
}

const ALLERGIES = ['Peanuts', 'Tree nuts', 'Dairy', 'Eggs', 'Gluten', 'Shellfish', 'Sesame', 'Penicillin', 'Bee stings', 'Latex', 'Pollen'];
const EMAIL_PROVIDERS = ['example.com', 'example.net', 'mail.example', 'post.example'];
const BACKGROUNDS: readonly TRgb[] = [
  [216, 227, 240],
  [234, 221, 207],
  [214, 234, 216],
  [236, 214, 220],
];
const SILHOUETTES: readonly TRgb[] = [
  [62, 45, 36],
  [115, 82, 60],
  [160, 120, 90],
  [205, 160, 125],
];
// Students in these grades and above have their own login.
const FIRST_GRADE_WITH_ACCOUNTS = 7;

type TGuardianKind = readonly { relationship: GuardianRelationship; gender: Gender; ownSurname: number }[];
// Who looks after a family's children, and how often each arrangement occurs.
const HOUSEHOLDS: readonly (readonly [TGuardianKind, number])[] = [
  [
    [
      { relationship: 'MOTHER', gender: 'FEMALE', ownSurname: 0.25 },
      { relationship: 'FATHER', gender: 'MALE', ownSurname: 0 },
    ],
    58,
  ],
  [
    [
      { relationship: 'FATHER', gender: 'MALE', ownSurname: 0 },
      { relationship: 'MOTHER', gender: 'FEMALE', ownSurname: 0.25 },
    ],
    10,
  ],
  [[{ relationship: 'MOTHER', gender: 'FEMALE', ownSurname: 0.15 }], 17],
  [[{ relationship: 'FATHER', gender: 'MALE', ownSurname: 0 }], 6],
  [[{ relationship: 'GRANDPARENT', gender: 'FEMALE', ownSurname: 0.3 }], 4],
  [
    [
      { relationship: 'GUARDIAN', gender: 'FEMALE', ownSurname: 1 },
      { relationship: 'OTHER', gender: 'MALE', ownSurname: 1 },
    ],
    3,
  ],
  [[{ relationship: 'GUARDIAN', gender: 'MALE', ownSurname: 1 }], 2],
];

function medicalProfile(random: TRandom): { allergies: string[]; medicalNotes: string | null } {
  const allergies = random.chance(0.18)
    ? random.sample(ALLERGIES, random.weighted([[1, 0.75] as const, [2, 0.2] as const, [3, 0.05] as const]))
    : [];
  if (allergies.includes('Peanuts') || allergies.includes('Tree nuts')) {
    return { allergies, medicalNotes: 'Carries an adrenaline auto-injector; a spare is kept at reception.' };
  }
  const note = random.weighted<string | null>([
    [null, 90],
    ['Asthma: reliever inhaler kept in the school office.', 5],
    ['Wears glasses; sits near the front of the class.', 3],
    ['Type 1 diabetes: insulin pump, may eat snacks during lessons.', 1],
    ['Hearing aid in the left ear.', 1],
  ]);
  return { allergies, medicalNotes: note };
}

/**
 * Students arrive in families: siblings share a surname and guardians, and
 * one or two guardians look after each family. Siblings usually sit in
 * different grades; every grade gets exactly its share of students.
 */
export function planStudents(context: TSchoolContext, structure: TStructurePlan): TStudentBody {
  const random = context.random('students');
  const gradeDeck = random.shuffle(structure.studentsPerGrade.flatMap((count, i) => Array.from({ length: count }, () => i + 1)));
  const former = Math.round(context.studentsPerSchool * 0.02);
  const students: TStudentRow[] = [];
  const gradeOf = new Map<TStudentRow, number>();
  const guardians: TGuardianRow[] = [];
  const links: TRowOf<typeof studentGuardianTable>[] = [];

  const newStudent = (surname: string, tradition: TNameTradition, grade: number, status: StudentStatus): TStudentRow => {
    const gender = random.weighted<Gender>([
      ['FEMALE', 49],
      ['MALE', 49],
      ['OTHER', 2],
    ]);
    const admittedYear = 2025 - random.int(0, grade - 1);
    const photo = random.chance(0.35) ? portraitPng(random.pick(BACKGROUNDS), random.pick(SILHOUETTES)) : null;
    const row: TStudentRow = {
      id: context.id(),
      schoolId: context.schoolId,
      userId: status === 'ACTIVE' && grade >= FIRST_GRADE_WITH_ACCOUNTS ? context.id() : null,
      admissionNo: `${admittedYear}-${String(students.length + 1).padStart(4, '0')}`,
      firstName: pickGivenName(random, random.chance(0.1) ? pickTradition(random) : tradition, gender),
      lastName: surname,
      // Grade 1 children are six when the school year starts.
      dateOfBirth: addDays(utcDate(`${2025 - grade - 5}-09-01`), -random.int(1, 365)),
      gender,
      status,
      photo,
      ...medicalProfile(random),
      createdAt: atTime(utcDate(`${admittedYear}-08-${String(random.int(18, 29)).padStart(2, '0')}`), random.int(8, 16), random.int(0, 59)),
    };
    students.push(row);
    gradeOf.set(row, grade);
    return row;
  };

  const newFamily = (children: number, nextChild: () => { grade: number; status: StudentStatus }) => {
    const tradition = pickTradition(random);
    const surname = random.pick(tradition.family);
    const kids = Array.from({ length: children }, () => {
      const child = nextChild();
      return newStudent(surname, tradition, child.grade, child.status);
    });
    random.weighted(HOUSEHOLDS).forEach((carer, i) => {
      const name = pickPersonName(random, tradition, carer.gender);
      const lastName = random.chance(carer.ownSurname) ? name.lastName : surname;
      const primary = i === 0;
      // The school insists on an e-mail address for the primary contact.
      const email =
        primary || random.chance(0.6)
          ? uniqueEmail(context, `${asciiSlug(name.firstName, lastName)}${random.int(1, 99)}`, random.pick(EMAIL_PROVIDERS))
          : null;
      const guardian: TGuardianRow = {
        id: context.id(),
        schoolId: context.schoolId,
        // Parents of students who log in get a login too; a few others asked for one.
        userId: email && ((primary && kids.some((kid) => kid.userId)) || random.chance(0.15)) ? context.id() : null,
        firstName: name.firstName,
        lastName,
        phone: phoneNumber(random, context.city),
        email,
        occupation: random.chance(0.8) ? random.pick(OCCUPATIONS) : null,
      };
      guardians.push(guardian);
      for (const kid of kids)
        links.push({ studentId: kid.id, guardianId: guardian.id, relationship: carer.relationship, isPrimary: primary });
    });
  };

  while (gradeDeck.length > 0) {
    const size = Math.min(gradeDeck.length, random.weighted([[1, 70] as const, [2, 24] as const, [3, 6] as const]));
    newFamily(size, () => ({ grade: gradeDeck.pop() as number, status: random.chance(0.005) ? 'SUSPENDED' : 'ACTIVE' }));
  }
  // Students who left: still on record, not enrolled this year.
  for (let i = 0; i < former; i++) {
    newFamily(1, () => (random.chance(0.5) ? { grade: 9, status: 'GRADUATED' } : { grade: random.int(1, 8), status: 'TRANSFERRED' }));
  }

  const { enrolled, enrollments } = enrol(context, structure, students, gradeOf, random);
  return { students, enrolled, guardians, links, enrollments };
}

function enrol(
  context: TSchoolContext,
  structure: TStructurePlan,
  students: readonly TStudentRow[],
  gradeOf: ReadonlyMap<TStudentRow, number>,
  random: TRandom,
): Pick<TStudentBody, 'enrolled' | 'enrollments'> {
  const enrolled: TEnrolledStudent[] = [];
  const enrollments: TRowOf<typeof enrollmentTable>[] = [];
  const current = students.filter((student) => student.status === 'ACTIVE' || student.status === 'SUSPENDED');
  for (let grade = 1; grade <= structure.studentsPerGrade.length; grade++) {
    const sections = structure.sections.filter((section) => section.gradeLevel === grade);
    const members = sections.map(() => [] as TStudentRow[]);
    random.shuffle(current.filter((student) => gradeOf.get(student) === grade)).forEach((student, i) => {
      members[i % sections.length]?.push(student);
    });
    sections.forEach((section, s) => {
      // Roll numbers follow the register: alphabetical by surname, then given name.
      const register = (members[s] ?? []).sort(
        (a, b) => a.lastName.localeCompare(b.lastName, 'en') || a.firstName.localeCompare(b.firstName, 'en') || a.id.localeCompare(b.id),
      );
      register.forEach((student, i) => {
        enrolled.push({ row: student, section });
        enrollments.push({
          id: context.id(),
          studentId: student.id,
          sectionId: section.row.id,
          academicYearId: structure.year.id,
          rollNumber: i + 1,
          enrolledAt: atTime(addDays(ACADEMIC_YEAR.startDate, -random.int(3, 14)), random.int(9, 15), random.int(0, 59)),
        });
      });
    });
  }
  return { enrolled, enrollments };
}
