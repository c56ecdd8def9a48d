import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_AGE_HOURS, judgeBackupAge, maxAgeHoursFor, runsAtLeastDaily } from './backup-age';

const NOW = new Date('2027-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

describe("the dead man's switch (pure, on an injected clock)", () => {
  it('is stale only past the limit', () => {
    expect(judgeBackupAge({ lastSuccessAt: hoursAgo(25.9), expectedSince: null, maxAgeHours: 26, now: NOW })).toEqual({
      stale: false,
      ageHours: 25.9,
    });
    expect(judgeBackupAge({ lastSuccessAt: hoursAgo(26.1), expectedSince: null, maxAgeHours: 26, now: NOW })).toEqual({
      stale: true,
      ageHours: 26.1,
    });
  });

  it('never goes stale without a limit', () => {
    expect(judgeBackupAge({ lastSuccessAt: hoursAgo(1000), expectedSince: hoursAgo(2000), maxAgeHours: null, now: NOW }).stale).toBe(false);
  });

  it('with no backup yet, counts from when one was first expected', () => {
    expect(judgeBackupAge({ lastSuccessAt: null, expectedSince: hoursAgo(3), maxAgeHours: 26, now: NOW })).toEqual({
      stale: false,
      ageHours: null,
    });
    expect(judgeBackupAge({ lastSuccessAt: null, expectedSince: hoursAgo(30), maxAgeHours: 26, now: NOW })).toEqual({
      stale: true,
      ageHours: null,
    });
    expect(judgeBackupAge({ lastSuccessAt: null, expectedSince: null, maxAgeHours: 26, now: NOW }).stale).toBe(false);
  });

  it('defaults to 26 hours only when a schedule runs at least daily', () => {
    const daily = { cron: '0 2 * * *', timezone: 'Europe/London' };
    const hourly = { cron: '0 * * * *', timezone: 'UTC' };
    const weekdays = { cron: '0 2 * * 1-5', timezone: 'UTC' };
    const weekly = { cron: '0 3 * * 0', timezone: 'UTC' };
    expect(runsAtLeastDaily(daily, NOW)).toBe(true);
    expect(runsAtLeastDaily(hourly, NOW)).toBe(true);
    expect(runsAtLeastDaily(weekdays, NOW)).toBe(false);
    expect(maxAgeHoursFor(undefined, [weekly, daily], NOW)).toBe(DEFAULT_MAX_AGE_HOURS);
    expect(maxAgeHoursFor(undefined, [weekly, weekdays], NOW)).toBeNull();
    expect(maxAgeHoursFor(undefined, [], NOW)).toBeNull();
    expect(maxAgeHoursFor(80, [weekly], NOW)).toBe(80);
  });

  it('counts a daily schedule across a daylight-saving change as daily', () => {
    // London moves its clocks on 28 March 2027: one gap between 02:30 slots is 23 h, 01:30 slots see 25 h in October.
    expect(runsAtLeastDaily({ cron: '30 1 * * *', timezone: 'Europe/London' }, new Date('2027-03-20T00:00:00Z'))).toBe(true);
    expect(runsAtLeastDaily({ cron: '30 1 * * *', timezone: 'Europe/London' }, new Date('2027-10-25T00:00:00Z'))).toBe(true);
  });
});
