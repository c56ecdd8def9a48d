import { describe, expect, it } from 'vitest';
import { holidaysForSchool, isoDate, isWeekend, SEEDED_TERM, schoolDays, utcDate } from './calendar';
import { createRandom } from './random';

describe('school calendar', () => {
  it('gives the seeded term about 60 school days, without weekends or the school’s closures', () => {
    const holidays = holidaysForSchool(createRandom(1));
    const days = schoolDays(SEEDED_TERM.startDate, SEEDED_TERM.endDate, holidays);
    expect(days.length).toBeGreaterThanOrEqual(57);
    expect(days.length).toBeLessThanOrEqual(60);
    const closed = new Set(holidays.map((holiday) => isoDate(holiday.date)));
    for (const day of days) {
      expect(isWeekend(day)).toBe(false);
      expect(closed.has(isoDate(day))).toBe(false);
    }
  });

  it('knows weekends', () => {
    expect(isWeekend(utcDate('2025-09-06'))).toBe(true);
    expect(isWeekend(utcDate('2025-09-07'))).toBe(true);
    expect(isWeekend(utcDate('2025-09-08'))).toBe(false);
  });
});
