import type { ExamType } from '@/generated/prisma/client';
import { utcDate } from './calendar';
import type { TSchoolContext } from './school-context';
import type { TStructurePlan } from './structure';
import type { TEnrolledStudent } from './students';
import { SUBJECTS } from './subjects';
import type { examResultTable, examTable, TRowOf } from './tables';

type TExamRow = TRowOf<typeof examTable>;
type TExamResultRow = TRowOf<typeof examResultTable>;

const EXAMS: readonly { name: string; type: ExamType; startDate: Date }[] = [
  { name: 'Autumn Midterm', type: 'MIDTERM', startDate: utcDate('2025-10-13') },
  { name: 'Autumn Final', type: 'FINAL', startDate: utcDate('2025-11-17') },
];

// Bands of the grading scale, checked from the top.
const GRADE_BANDS: readonly (readonly [number, string])[] = [
  [90, 'A'],
  [80, 'B'],
  [70, 'C'],
  [60, 'D'],
  [50, 'E'],
  [0, 'F'],
];

const REMARKS: Record<string, readonly string[]> = {
  high: ['Excellent work', 'Outstanding effort', 'A pleasure to teach', 'Consistently strong'],
  middle: ['Good progress', 'Solid understanding', 'Can achieve more with practice', 'Participates well'],
  low: ['Needs to revise the basics', 'Please see me about extra support', 'Homework often missing', 'Struggled with the written paper'],
};

/** The two exams of the seeded term. */
export function examRows(context: TSchoolContext, structure: TStructurePlan): TExamRow[] {
  return EXAMS.map((exam) => ({
    id: context.id(),
    schoolId: context.schoolId,
    termId: structure.seededTermId,
    name: exam.name,
    type: exam.type,
    startDate: exam.startDate,
    maxMarks: 100,
  }));
}

/**
 * A result per enrolled student per subject per exam. Marks follow a
 * student's ability plus subject difficulty and exam-day noise; percentiles
 * rank a mark within the student's grade, and are left NULL for non-core
 * subjects, which the school does not rank.
 */
export function* examResultRows(
  context: TSchoolContext,
  exams: readonly TExamRow[],
  enrolled: readonly TEnrolledStudent[],
  subjectIds: ReadonlyMap<string, number>,
): Generator<TExamResultRow> {
  const random = context.random('exams');
  const ability = new Map(enrolled.map(({ row }) => [row.id, random.normal(70, 11)]));
  const difficulty = new Map(SUBJECTS.map((subject) => [subject.code, random.normal(0, 4)]));
  const grades = [...new Set(enrolled.map(({ section }) => section.gradeLevel))];
  for (const exam of exams) {
    for (const gradeLevel of grades) {
      const cohort = enrolled.filter(({ section }) => section.gradeLevel === gradeLevel);
      for (const subject of SUBJECTS) {
        const subjectId = subjectIds.get(subject.code);
        if (subjectId === undefined) throw new Error(`Subject ${subject.code} was not inserted`);
        const marks = cohort.map(({ row }) => {
          const raw = (ability.get(row.id) ?? 70) + (difficulty.get(subject.code) ?? 0) + random.normal(0, 8);
          // Papers are marked in half points.
          return Math.round(Math.min(100, Math.max(5, raw)) * 2) / 2;
        });
        const sorted = [...marks].sort((a, b) => a - b);
        for (const [i, { row }] of cohort.entries()) {
          const mark = marks[i] as number;
          const below = sorted.findIndex((other) => other >= mark);
          const grade = GRADE_BANDS.find(([minimum]) => mark >= minimum)?.[1] ?? 'F';
          const band = mark >= 80 ? 'high' : mark >= 55 ? 'middle' : 'low';
          yield {
            examId: exam.id,
            studentId: row.id,
            subjectId,
            marks: mark.toFixed(2),
            percentile: subject.isCore ? Math.round((1000 * below) / cohort.length) / 10 : null,
            grade,
            remarks: random.chance(0.12) ? random.pick(REMARKS[band] ?? []) : null,
          };
        }
      }
    }
  }
}
