/** A subject every seeded school teaches. */
export interface TSubjectPlan {
  code: string;
  name: string;
  /** Lessons per week; the catalogue fills the 30 weekly periods of a timetable exactly. */
  periodsPerWeek: number;
  credits: number;
  isCore: boolean;
  /** The degree a teacher of the subject typically holds. */
  degree: string;
}

export const SUBJECTS: readonly TSubjectPlan[] = [
  { code: 'MATH', name: 'Mathematics', periodsPerWeek: 5, credits: 1.5, isCore: true, degree: 'BSc Mathematics' },
  { code: 'ENG', name: 'English Language & Literature', periodsPerWeek: 5, credits: 1.5, isCore: true, degree: 'BA English Literature' },
  { code: 'SCI', name: 'Science', periodsPerWeek: 4, credits: 1.25, isCore: true, degree: 'BSc Biology' },
  { code: 'LANG', name: 'Modern Languages', periodsPerWeek: 3, credits: 1, isCore: true, degree: 'BA Modern Languages' },
  { code: 'HIST', name: 'History', periodsPerWeek: 2, credits: 0.75, isCore: true, degree: 'BA History' },
  { code: 'GEO', name: 'Geography', periodsPerWeek: 2, credits: 0.75, isCore: true, degree: 'BSc Geography' },
  { code: 'ICT', name: 'Computing', periodsPerWeek: 2, credits: 0.75, isCore: true, degree: 'BSc Computer Science' },
  { code: 'ART', name: 'Art & Design', periodsPerWeek: 2, credits: 0.5, isCore: false, degree: 'BA Fine Art' },
  { code: 'MUS', name: 'Music', periodsPerWeek: 2, credits: 0.5, isCore: false, degree: 'BMus Music Education' },
  { code: 'PE', name: 'Physical Education', periodsPerWeek: 3, credits: 0.5, isCore: false, degree: 'BSc Sport Science' },
];

/** Periods of a school day, as `HH:MM` strings. */
export const PERIOD_TIMES: readonly (readonly [string, string])[] = [
  ['08:30', '09:20'],
  ['09:25', '10:15'],
  ['10:35', '11:25'],
  ['11:30', '12:20'],
  ['13:10', '14:00'],
  ['14:05', '14:55'],
];

export const SCHOOL_DAYS_PER_WEEK = 5;
