import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cronProblem } from './cron-expression';
import { ZSchedule } from './schemas';
import { dueSlots, MISSED_COUNT_CAP, nextSlot, nextSlots, parseSchedule, previousSlot, scheduleProblems } from './slots';
import { wallFields } from './timezone';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const at = (s: string) => new Date(s);

/** Local calendar days (YYYY-MM-DD) of every slot of a schedule between two instants. */
function slotDays(cron: string, timezone: string, from: string, to: string): string[] {
  const schedule = parseSchedule({ cron, timezone });
  const days: string[] = [];
  for (let t = nextSlot(schedule, at(from)); t && t < at(to); t = nextSlot(schedule, t)) {
    const f = wallFields(t.getTime(), timezone);
    days.push(`${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`);
  }
  return days;
}

describe('validation', () => {
  it.each([
    ['0 2 * * *', null],
    ['*/15 8-18 * * MON-FRI', null],
    ['@daily', null],
    ['0 0 1,15 * SUN', null],
    ['0 0 * * 7', null],
  ])('accepts %s', (cron, problem) => expect(cronProblem(cron)).toBe(problem));

  it.each([
    ['0 0 2 * * *', /seconds and years are not supported/],
    ['0 2 * *', /expected 5 fields/],
    ['60 2 * * *', /minute 60 is out of range 0-59/],
    ['5/15 * * * *', /a step needs a range or \*/],
    ['L * * * *', /not a valid minute/],
    ['0 0 ? * *', /not a valid day of month/],
    ['0 0 * * 5#2', /not a valid day of week/],
    ['0 0 10-2 * *', /goes backwards/],
    ['0 0 */2 * 1', /read differently/],
    ['@reboot', /no time slots/],
    ['*/0 * * * *', /at least 1/],
  ])('refuses %s', (cron, why) => expect(cronProblem(cron)).toMatch(why));

  it('gives messages a user can act on', () => {
    const bad = ZSchedule.safeParse({ cron: '0 2 * *', timezone: 'Europe/Londn' });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message);
    expect(messages).toContain('Unknown timezone "Europe/Londn"');
    expect(messages?.[0]).toMatch(/^Invalid cron expression "0 2 \* \*": expected 5 fields/);
    expect(() => parseSchedule({ cron: '0 2 * * *', timezone: 'Mars/Olympus' })).toThrow('Unknown timezone "Mars/Olympus"');
    expect(scheduleProblems({ cron: '0 2 * * * *', timezone: 'UTC' })).toEqual([
      'Invalid cron expression "0 2 * * * *": expected 5 fields (minute hour day-of-month month day-of-week), got 6; seconds and years are not supported',
    ]);
    expect(scheduleProblems({ cron: '0 2 * * *', timezone: 'Europe/London' })).toEqual([]);
  });

  it('keeps zod and server code out of the modules the browser loads', () => {
    // zod's eval probe breaks the dashboard's CSP; the live cron preview imports these.
    for (const file of ['slots.ts', 'describe.ts', 'presets.ts', 'cron-expression.ts', 'timezone.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((i) => i !== 'croner' && !i?.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });
});

describe('nextSlot', () => {
  const daily = parseSchedule({ cron: '0 2 * * *', timezone: 'Europe/London' });

  it('is strictly after', () => {
    expect(iso(nextSlot(daily, at('2026-11-27T02:00:00Z')))).toBe('2026-11-28T02:00:00.000Z');
    expect(iso(nextSlot(daily, at('2026-11-27T01:59:59.999Z')))).toBe('2026-11-27T02:00:00.000Z');
  });

  it('uses the timezone (02:00 BST is 01:00 UTC in summer)', () => {
    expect(iso(nextSlot(daily, at('2027-07-01T00:00:00Z')))).toBe('2027-07-01T01:00:00.000Z');
  });

  it('ORs day of month and day of week like Vixie cron', () => {
    const s = { cron: '0 0 1 * MON', timezone: 'UTC' };
    expect(nextSlots(s, at('2027-03-27T12:00:00Z'), 3).map(iso)).toEqual([
      '2027-03-29T00:00:00.000Z', // a Monday
      '2027-04-01T00:00:00.000Z', // the 1st, a Thursday
      '2027-04-05T00:00:00.000Z',
    ]);
  });

  it('returns null for a date that never comes', () => {
    expect(nextSlot({ cron: '0 0 31 2 *', timezone: 'UTC' }, at('2027-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('DST', () => {
  it('London spring forward: 02:30 exists (BST), 01:30 does not and runs once at 02:00 BST', () => {
    expect(nextSlots({ cron: '30 2 * * *', timezone: 'Europe/London' }, at('2027-03-27T12:00:00Z'), 2).map(iso)).toEqual([
      '2027-03-28T01:30:00.000Z',
      '2027-03-29T01:30:00.000Z',
    ]);
    expect(nextSlots({ cron: '30 1 * * *', timezone: 'Europe/London' }, at('2027-03-27T12:00:00Z'), 3).map(iso)).toEqual([
      '2027-03-28T01:00:00.000Z', // 02:00 BST, the first valid instant after the gap
      '2027-03-29T00:30:00.000Z',
      '2027-03-30T00:30:00.000Z',
    ]);
  });

  it('a weekly schedule on the DST Sunday runs once', () => {
    expect(nextSlots({ cron: '30 1 * * SUN', timezone: 'Europe/London' }, at('2027-03-27T00:00:00Z'), 2).map(iso)).toEqual([
      '2027-03-28T01:00:00.000Z',
      '2027-04-04T00:30:00.000Z',
    ]);
  });

  it('London fall back: 01:30 happens twice and runs once, at the first', () => {
    expect(nextSlots({ cron: '30 1 * * *', timezone: 'Europe/London' }, at('2027-10-30T12:00:00Z'), 2).map(iso)).toEqual([
      '2027-10-31T00:30:00.000Z', // 01:30 BST
      '2027-11-01T01:30:00.000Z', // 01:30 GMT next day
    ]);
  });

  it('Berlin spring forward: 02:30 does not exist and runs at 03:00 CEST; fall back runs once', () => {
    expect(iso(nextSlot({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, at('2027-03-27T12:00:00Z')))).toBe('2027-03-28T01:00:00.000Z');
    expect(nextSlots({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, at('2027-10-30T12:00:00Z'), 2).map(iso)).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
    ]);
  });

  it('interval schedules follow real time: a repeated hour runs twice, the skipped one not at all', () => {
    expect(nextSlots({ cron: '30 * * * *', timezone: 'Europe/London' }, at('2027-10-30T23:00:00Z'), 4).map(iso)).toEqual([
      '2027-10-30T23:30:00.000Z',
      '2027-10-31T00:30:00.000Z', // 01:30 BST
      '2027-10-31T01:30:00.000Z', // 01:30 GMT
      '2027-10-31T02:30:00.000Z',
    ]);
    expect(nextSlots({ cron: '30 * * * *', timezone: 'Europe/London' }, at('2027-03-27T23:00:00Z'), 3).map(iso)).toEqual([
      '2027-03-27T23:30:00.000Z',
      '2027-03-28T00:30:00.000Z',
      '2027-03-28T01:30:00.000Z', // 02:30 BST: local 01:30 never happened
    ]);
  });

  it.each([
    ['Europe/London', '0 1 * * *'],
    ['Europe/London', '30 1 * * *'],
    ['Europe/London', '30 2 * * *'],
    ['Europe/London', '59 0 * * *'],
    ['Europe/Berlin', '30 2 * * *'],
    ['Europe/Berlin', '0 2 * * *'],
    ['America/New_York', '30 2 * * *'],
    ['America/New_York', '30 1 * * *'],
    ['Australia/Lord_Howe', '45 1 * * *'],
  ])('each calendar day of a daily schedule gives exactly one slot (%s, %s)', (timezone, cron) => {
    const days = slotDays(cron, timezone, '2026-12-31T12:00:00Z', '2028-01-01T12:00:00Z');
    expect(new Set(days).size).toBe(days.length);
    expect(days.length).toBe(366); // 2027-01-01 .. 2028-01-01 local
  });
});

describe('dueSlots', () => {
  const daily = parseSchedule({ cron: '0 2 * * *', timezone: 'UTC' });

  it('is null when nothing is due', () => {
    expect(dueSlots(daily, { since: at('2027-01-01T02:00:00Z'), now: at('2027-01-02T01:59:59Z') })).toBeNull();
  });

  it('includes a slot exactly at now, excludes one exactly at since', () => {
    expect(dueSlots(daily, { since: at('2027-01-01T02:00:00Z'), now: at('2027-01-02T02:00:00Z') })).toEqual({
      latest: at('2027-01-02T02:00:00Z'),
      missed: 0,
      missedExact: true,
    });
  });

  it('a weekend power cut gives one run for the latest slot and counts the missed ones', () => {
    expect(dueSlots(daily, { since: at('2027-01-01T02:00:00Z'), now: at('2027-01-04T09:00:00Z') })).toEqual({
      latest: at('2027-01-04T02:00:00Z'),
      missed: 2,
      missedExact: true,
    });
  });

  it('stays fast and capped for an every-minute schedule down for a year', () => {
    const started = performance.now();
    const due = dueSlots(
      { cron: '* * * * *', timezone: 'Europe/London' },
      { since: at('2026-01-01T00:00:00Z'), now: at('2027-01-01T00:00:30Z') },
    );
    expect(due).toEqual({ latest: at('2027-01-01T00:00:00Z'), missed: MISSED_COUNT_CAP, missedExact: false });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a power cut across the spring-forward night still gives the one nonexistent-time slot', () => {
    const s = parseSchedule({ cron: '30 1 * * *', timezone: 'Europe/London' });
    expect(dueSlots(s, { since: at('2027-03-27T12:00:00Z'), now: at('2027-03-28T00:59:59Z') })).toBeNull();
    expect(dueSlots(s, { since: at('2027-03-27T12:00:00Z'), now: at('2027-03-28T01:00:00Z') })?.latest).toEqual(at('2027-03-28T01:00:00Z'));
    // Fall back: the repeated 01:30 is one slot, not two.
    expect(dueSlots(s, { since: at('2027-10-30T12:00:00Z'), now: at('2027-10-31T03:00:00Z') })).toEqual({
      latest: at('2027-10-31T00:30:00Z'),
      missed: 0,
      missedExact: true,
    });
  });

  it('handles schedules that never or rarely fire', () => {
    expect(
      dueSlots({ cron: '0 0 31 2 *', timezone: 'UTC' }, { since: at('2026-01-01T00:00:00Z'), now: at('2027-01-01T00:00:00Z') }),
    ).toBeNull();
    expect(iso(nextSlot({ cron: '0 0 29 2 *', timezone: 'Europe/London' }, at('2027-01-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
    expect(iso(previousSlot({ cron: '0 0 29 2 *', timezone: 'UTC' }, at('2027-01-01T00:00:00Z')))).toBe('2024-02-29T00:00:00.000Z');
  });

  it('finds the latest slot across DST (previousSlot)', () => {
    expect(iso(previousSlot({ cron: '30 1 * * *', timezone: 'Europe/London' }, at('2027-03-28T12:00:00Z')))).toBe(
      '2027-03-28T01:00:00.000Z',
    );
  });
});
