import { describe, expect, it } from 'vitest';
import { describeSchedule } from './describe';
import { presetCron, presetOf, type TSchedulePreset } from './presets';

describe('describeSchedule', () => {
  it.each([
    ['0 2 * * *', 'Europe/London', 'Every day at 02:00, Europe/London'],
    ['@daily', 'UTC', 'Every day at 00:00, UTC'],
    ['15 * * * *', 'UTC', 'Every hour at minute 15'],
    ['0 3 * * 0', 'Europe/London', 'Every Sunday at 03:00, Europe/London'],
    ['0 3 * * SUN', 'Europe/London', 'Every Sunday at 03:00, Europe/London'],
    ['0 3 * * 7', 'Europe/London', 'Every Sunday at 03:00, Europe/London'],
    ['30 18 * * 1-5', 'Europe/Berlin', 'Every weekday at 18:30, Europe/Berlin'],
    ['30 18 * * MON-FRI', 'Europe/Berlin', 'Every weekday at 18:30, Europe/Berlin'],
    ['0 10 * * 6,0', 'UTC', 'Every Saturday and Sunday at 10:00, UTC'],
    ['0 10 * * 1,3,5', 'UTC', 'Every Monday, Wednesday and Friday at 10:00, UTC'],
    ['0 2,14 * * *', 'UTC', 'Every day at 02:00 and 14:00, UTC'],
    ['0 */6 * * *', 'UTC', 'At minute 0 past every 6th hour'],
    ['0 */2 * * *', 'UTC', 'At minute 0 past every 2nd hour'],
    ['*/15 * * * *', 'UTC', 'Every 15 minutes'],
    ['* * * * *', 'UTC', 'Every minute'],
    ['0 3 1 * *', 'UTC', 'On day 1 of every month at 03:00, UTC'],
    ['5 4 * * 1-5', 'Europe/London', 'Every weekday at 04:05, Europe/London'],
    ['5 4 1-7 * 1-5', 'Europe/London', 'Cron 5 4 1-7 * 1-5 (Europe/London)'],
    ['0 0 1 1 *', 'UTC', 'Cron 0 0 1 1 * (UTC)'],
    ['0,30 * * * *', 'UTC', 'Cron 0,30 * * * * (UTC)'],
    ['0 2 * *', 'UTC', 'Invalid cron expression "0 2 * *"'],
  ])('%s (%s) reads "%s"', (cron, timezone, text) => expect(describeSchedule({ cron, timezone })).toBe(text));
});

describe('presets', () => {
  it.each<[TSchedulePreset, string]>([
    [{ kind: 'hourly', minute: 15 }, '15 * * * *'],
    [{ kind: 'daily', time: '02:00' }, '0 2 * * *'],
    [{ kind: 'daily', time: '23:59' }, '59 23 * * *'],
    [{ kind: 'weekly', day: 0, time: '03:30' }, '30 3 * * 0'],
  ])('%j is %s and back', (preset, cron) => {
    expect(presetCron(preset)).toBe(cron);
    expect(presetOf(cron)).toEqual(preset);
  });

  it('refuses malformed presets', () => {
    expect(() => presetCron({ kind: 'daily', time: '24:00' })).toThrow(/24-hour time/);
    expect(() => presetCron({ kind: 'weekly', day: 7, time: '02:00' })).toThrow();
  });

  it.each([
    ['0 0 * * 7', { kind: 'weekly', day: 0, time: '00:00' }],
    ['@hourly', { kind: 'hourly', minute: 0 }],
    ['0 2,14 * * *', null],
    ['0 2 1 * *', null],
    ['0 2 * * 1-5', null],
    ['*/5 * * * *', null],
    ['nonsense', null],
  ])('presetOf(%s) is %j', (cron, preset) => expect(presetOf(cron)).toEqual(preset));
});
