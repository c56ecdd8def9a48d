import type { TRandom } from './random';

/**
 * The seeded school year. It is fixed rather than derived from today so the
 * same seed always gives the same database; attendance and exams fill the
 * first term, which has about 60 school days.
 */

const DAY_MS = 86_400_000;

/** A calendar date as UTC midnight, which is how Prisma reads `@db.Date` columns. */
export function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

/** A Prisma date input (a Date or an ISO string) as a Date. */
export function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The date `days` days later (earlier when negative). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** A date plus a time of day, e.g. `atTime(day, 8, 5)` for 08:05 UTC. */
export function atTime(date: Date, hours: number, minutes = 0): Date {
  return new Date(date.getTime() + (hours * 60 + minutes) * 60_000);
}

/** `YYYY-MM-DD` of a UTC date. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Saturday or Sunday. */
export function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}

export interface TTermPlan {
  name: string;
  startDate: Date;
  endDate: Date;
}

const TERMS: readonly [TTermPlan, TTermPlan, TTermPlan] = [
  { name: 'Autumn Term', startDate: utcDate('2025-09-01'), endDate: utcDate('2025-11-21') },
  { name: 'Winter Term', startDate: utcDate('2025-12-01'), endDate: utcDate('2026-03-13') },
  { name: 'Spring Term', startDate: utcDate('2026-03-30'), endDate: utcDate('2026-06-26') },
];

/** The seeded school year with its three terms. */
export const ACADEMIC_YEAR = { name: '2025/26', startDate: utcDate('2025-09-01'), endDate: utcDate('2026-06-26'), terms: TERMS } as const;

/** The term that has attendance, exams and invoices: the one that is over. */
export const SEEDED_TERM = TERMS[0];

/** "Today" in the seeded world: the last day of the seeded term. Nothing happens after it. */
export const SEEDED_TODAY = SEEDED_TERM.endDate;

/** Whole days from `from` to `to`. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / DAY_MS);
}

/** A day the school is closed. */
export interface THolidayPlan {
  date: Date;
  name: string;
}

const SHARED_HOLIDAYS: readonly THolidayPlan[] = [
  ...weekdaysBetween(utcDate('2025-12-22'), utcDate('2026-01-02')).map((date) => ({ date, name: 'Winter break' })),
  { date: utcDate('2026-02-16'), name: 'Mid-term break' },
  { date: utcDate('2026-02-17'), name: 'Mid-term break' },
  { date: utcDate('2026-04-03'), name: 'Good Friday' },
  { date: utcDate('2026-04-06'), name: 'Easter Monday' },
  { date: utcDate('2026-05-01'), name: 'Labour Day' },
];

function weekdaysBetween(start: Date, end: Date): Date[] {
  const days: Date[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) if (!isWeekend(day)) days.push(day);
  return days;
}

/**
 * A school's closures: the shared ones plus two or three of its own in the
 * first term, so different schools have different numbers of school days.
 */
export function holidaysForSchool(random: TRandom): THolidayPlan[] {
  const term = weekdaysBetween(SEEDED_TERM.startDate, SEEDED_TERM.endDate);
  const own = random.sample(term.slice(10), random.chance(0.3) ? 3 : 2);
  const names = ['Staff development day', 'Founders’ Day', 'Polling day (school is a polling station)'];
  const local = own.sort((a, b) => a.getTime() - b.getTime()).map((date, i) => ({ date, name: names[i] ?? 'School closed' }));
  return [...local, ...SHARED_HOLIDAYS];
}

/** The weekdays of a period that are not holidays. */
export function schoolDays(start: Date, end: Date, holidays: readonly THolidayPlan[]): Date[] {
  const closed = new Set(holidays.map((holiday) => isoDate(holiday.date)));
  return weekdaysBetween(start, end).filter((day) => !closed.has(isoDate(day)));
}
