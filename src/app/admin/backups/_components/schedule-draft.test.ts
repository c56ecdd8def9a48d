import { describe, expect, it } from 'vitest';
import type { TScheduleView } from '@/lib/backup/scheduling/schedule-store';
import { draftCron, draftOf, draftPolicy, scheduleKindLabel, type TScheduleDraft, timingPreview, withMode } from './schedule-draft';

const view = (cron: string, retention: TScheduleView['retention'] = {}): TScheduleView => ({
  id: 'cmwyschedule00000000000001',
  kind: 'BACKUP',
  backupKind: 'FULL',
  name: 'Nightly backup',
  cron,
  timezone: 'Europe/London',
  description: '',
  enabled: true,
  nextRunAt: null,
  lastRunAt: null,
  lastStatus: null,
  lastError: null,
  lastBackupId: null,
  retention,
  createdById: null,
  createdAt: '2026-11-01T00:00:00.000Z',
});

const NEW = draftOf(undefined, 'Europe/London');
const with_ = (change: Partial<TScheduleDraft>): TScheduleDraft => ({ ...NEW, ...change });

describe('draftOf', () => {
  it('starts a new schedule as the default one, in the server timezone', () => {
    expect(NEW).toMatchObject({ name: '', mode: 'daily', time: '02:00', cron: '0 2 * * *', timezone: 'Europe/London' });
    expect(NEW.retention).toMatchObject({ keepDaily: '7', keepWeekly: '4', keepMonthly: '12', keepLast: '', keepWithin: '' });
  });

  it.each([
    ['15 * * * *', { mode: 'hourly', minute: '15' }],
    ['30 1 * * *', { mode: 'daily', time: '01:30' }],
    ['0 3 * * 0', { mode: 'weekly', day: '0', time: '03:00' }],
    ['*/5 * * * *', { mode: 'advanced', cron: '*/5 * * * *' }],
    ['0 2 1 * *', { mode: 'advanced', cron: '0 2 1 * *' }],
  ])('opens %s in the form it matches', (cron, expected) => {
    expect(draftOf(view(cron, { keepLast: 3, keepWithin: '30d' }), 'UTC')).toMatchObject({
      ...expected,
      name: 'Nightly backup',
      timezone: 'Europe/London',
      retention: { keepLast: '3', keepWithin: '30d', keepDaily: '' },
    });
  });
});

describe('backup kind', () => {
  it('starts a new schedule on full backups and opens a snapshot schedule on snapshots', () => {
    expect(NEW.backupKind).toBe('FULL');
    expect(draftOf({ ...view('0 * * * *'), backupKind: 'INCREMENTAL' }, 'UTC').backupKind).toBe('INCREMENTAL');
  });

  it.each([
    [{ kind: 'BACKUP', backupKind: 'FULL' }, 'Full backup'],
    [{ kind: 'BACKUP', backupKind: 'INCREMENTAL' }, 'Snapshot'],
    [{ kind: 'DRILL', backupKind: 'FULL' }, 'Restore drill'],
    [{ kind: 'SCRUB', backupKind: 'FULL' }, 'Scrub'],
  ] as const)('a schedule %j is shown as "%s"', (schedule, label) => {
    expect(scheduleKindLabel(schedule)).toBe(label);
  });
});

describe('draftCron and withMode', () => {
  it.each([
    [with_({ mode: 'daily', time: '03:30' }), { cron: '30 3 * * *' }],
    [with_({ mode: 'hourly', minute: '5' }), { cron: '5 * * * *' }],
    [with_({ mode: 'weekly', day: '1', time: '23:05' }), { cron: '5 23 * * 1' }],
    [with_({ mode: 'advanced', cron: '  0 4 * * 1-5 ' }), { cron: '0 4 * * 1-5' }],
    [with_({ mode: 'hourly', minute: '75' }), { error: 'The minute must be a whole number from 0 to 59' }],
    [with_({ mode: 'hourly', minute: '' }), { error: 'The minute must be a whole number from 0 to 59' }],
    [with_({ mode: 'daily', time: '' }), { error: 'Use a 24-hour time such as 02:00' }],
    [with_({ mode: 'advanced', cron: ' ' }), { error: 'Type a cron expression, e.g. 0 2 * * *' }],
  ])('%#: %j', (draft, expected) => {
    expect(draftCron(draft)).toEqual(expected);
  });

  it('carries the timing over between a preset and the cron field', () => {
    const advanced = withMode(with_({ mode: 'daily', time: '03:30' }), 'advanced');
    expect(advanced).toMatchObject({ mode: 'advanced', cron: '30 3 * * *' });
    expect(withMode({ ...advanced, cron: '0 4 * * 1' }, 'weekly')).toMatchObject({ mode: 'weekly', day: '1', time: '04:00' });
    // An expression that is not of the chosen kind leaves the preset's own values.
    expect(withMode({ ...advanced, cron: '*/5 * * * *' }, 'daily')).toMatchObject({ mode: 'daily', time: '03:30' });
  });
});

describe('timingPreview', () => {
  const now = new Date('2026-11-27T12:00:00Z');

  it('describes the timing and gives the next three runs', () => {
    expect(timingPreview(NEW, now)).toEqual({
      description: 'Every day at 02:00, Europe/London',
      next: ['2026-11-28T02:00:00.000Z', '2026-11-29T02:00:00.000Z', '2026-11-30T02:00:00.000Z'],
    });
  });

  it('says what is wrong, in words, while the user types', () => {
    expect(timingPreview(with_({ mode: 'advanced', cron: '0 2 * *' }), now).error).toMatch(
      /^Invalid cron expression "0 2 \* \*": expected 5 fields/,
    );
    expect(timingPreview(with_({ timezone: 'Europe/Londn' }), now)).toEqual({ error: 'Unknown timezone "Europe/Londn"' });
  });

  it('gives no run for a date that never comes', () => {
    expect(timingPreview(with_({ mode: 'advanced', cron: '0 0 31 2 *' }), now)).toMatchObject({ next: [] });
  });
});

describe('draftPolicy', () => {
  const policyOf = (retention: Partial<TScheduleDraft['retention']>) => draftPolicy({ retention: { ...NEW.retention, ...retention } });

  it('reads the filled fields as rules and skips the empty ones', () => {
    expect(policyOf({ keepLast: ' 3 ', keepWithin: '30d' })).toEqual({
      policy: { keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepWithin: '30d' },
    });
    expect(policyOf({ keepDaily: '', keepWeekly: '', keepMonthly: '' })).toEqual({ policy: {} });
  });

  it('says which field is wrong', () => {
    expect(policyOf({ keepDaily: '-1' }).error).toBe('Daily: give a whole number of backups (0 or more), or leave it empty');
    expect(policyOf({ keepWithin: '30x' }).error).toMatch(/^Keep within: Invalid duration "30x": unknown unit "x"/);
  });
});
