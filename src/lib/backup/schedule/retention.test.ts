import { describe, expect, it } from 'vitest';
import { isEmptyPolicy, planRetention, type TRetentionBackup, type TRetentionPolicy } from './retention';
import { bucketKey, isoWeek } from './retention-buckets';
import { formatDuration, parseDuration, subtractDuration } from './retention-duration';
import { ZRetentionPolicy } from './schemas';

const at = (s: string) => new Date(s);
const NOW = at('2027-01-10T12:00:00Z');

function completed(id: string, createdAt: string, extra: Partial<TRetentionBackup> = {}): TRetentionBackup {
  return { id, createdAt: at(createdAt), status: 'COMPLETED', type: 'SCHEDULED', pinned: false, ...extra };
}

function reasonsOf(plan: ReturnType<typeof planRetention>) {
  return Object.fromEntries(plan.keep.map((k) => [k.id, k.reasons]));
}

describe('durations', () => {
  it.each([
    ['30d', { years: 0, months: 0, days: 30, hours: 0 }, '30d'],
    ['1y6m', { years: 1, months: 6, days: 0, hours: 0 }, '1y6m'],
    ['12h', { years: 0, months: 0, days: 0, hours: 12 }, '12h'],
    ['2w', { years: 0, months: 0, days: 14, hours: 0 }, '14d'],
    [' 1d2h ', { years: 0, months: 0, days: 1, hours: 2 }, '1d2h'],
  ])('parses %s', (text, parsed, formatted) => {
    expect(parseDuration(text)).toEqual(parsed);
    expect(formatDuration(parseDuration(text))).toBe(formatted);
  });

  it.each([
    ['', /Empty duration/],
    ['30', /no unit after 30/],
    ['30x', /unknown unit "x"/],
    ['-3d', /expected a number/],
    ['1d1d', /given twice/],
  ])('refuses %j', (text, why) => expect(() => parseDuration(text)).toThrow(why));

  it('subtracts months like Go AddDate (31 March minus 1 month is 3 March)', () => {
    expect(subtractDuration(at('2027-03-31T10:00:00Z'), parseDuration('1m'), 'UTC').toISOString()).toBe('2027-03-03T10:00:00.000Z');
    // Calendar days keep the local time across DST: 1 day before 12:00 BST is 12:00 GMT.
    expect(subtractDuration(at('2027-03-28T11:00:00Z'), parseDuration('1d'), 'Europe/London').toISOString()).toBe(
      '2027-03-27T12:00:00.000Z',
    );
    expect(subtractDuration(at('2027-03-28T11:00:00Z'), parseDuration('24h'), 'Europe/London').toISOString()).toBe(
      '2027-03-27T11:00:00.000Z',
    );
  });
});

describe('buckets', () => {
  it.each([
    [2026, 12, 31, 2026, 53], // 2026 has 53 ISO weeks (it starts on a Thursday)
    [2027, 1, 1, 2026, 53],
    [2027, 1, 3, 2026, 53],
    [2027, 1, 4, 2027, 1],
    [2024, 12, 30, 2025, 1],
    [2026, 11, 26, 2026, 48],
  ])('ISO week of %i-%i-%i is %i-W%i', (y, m, d, wy, w) => expect(isoWeek(y, m, d)).toEqual({ year: wy, week: w }));

  it('uses the policy timezone: 00:05 in London in summer is the previous day in UTC', () => {
    expect(bucketKey('daily', at('2027-07-01T23:05:00Z'), 'Europe/London')).toBe('2027-07-02');
    expect(bucketKey('daily', at('2027-07-01T23:05:00Z'), 'UTC')).toBe('2027-07-01');
    expect(bucketKey('monthly', at('2027-06-30T23:05:00Z'), 'Europe/London')).toBe('2027-07');
    expect(bucketKey('hourly', at('2027-10-31T01:30:00Z'), 'Europe/London')).toBe('2027-10-31 01:00');
  });
});

describe('planRetention', () => {
  it('refuses an empty policy', () => {
    expect(isEmptyPolicy({})).toBe(true);
    expect(isEmptyPolicy({ keepDaily: 0, keepWithin: '0d' })).toBe(true);
    expect(() => planRetention([], {}, { timezone: 'UTC', now: NOW })).toThrow(/at least one keep rule/);
  });

  it('validates policies with clear messages', () => {
    expect(ZRetentionPolicy.safeParse({ keepDaily: -1 }).success).toBe(false);
    expect(ZRetentionPolicy.safeParse({ keepWithin: '30x' }).error?.issues[0]?.message).toMatch(/unknown unit "x"/);
  });

  it('keeps the newest backup of each day, and empty days do not count', () => {
    const plan = planRetention(
      [
        completed('a', '2027-01-09T20:00:00Z'),
        completed('b', '2027-01-09T02:00:00Z'),
        completed('c', '2027-01-05T02:00:00Z'), // days 6-8 are empty
        completed('d', '2027-01-04T02:00:00Z'),
      ],
      { keepDaily: 2 },
      { timezone: 'UTC', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({ a: ['newest', 'daily 2027-01-09'], c: ['daily 2027-01-05'] });
    expect(plan.remove.map((r) => r.id)).toEqual(['b', 'd']);
  });

  it('keeps the oldest backup while a rule has room, like restic', () => {
    const plan = planRetention(
      [completed('a', '2027-01-09T20:00:00Z'), completed('b', '2027-01-09T02:00:00Z')],
      { keepDaily: 5 },
      { timezone: 'UTC', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({ a: ['newest', 'daily 2027-01-09'], b: ['oldest daily 2027-01-09'] });
  });

  it('counts a backup against every rule that keeps it; weeks span New Year (2026-W53)', () => {
    const plan = planRetention(
      [
        completed('jan2', '2027-01-02T02:00:00Z'),
        completed('dec31', '2026-12-31T02:00:00Z'),
        completed('dec28', '2026-12-28T02:00:00Z'),
        completed('dec27', '2026-12-27T02:00:00Z'),
      ],
      { keepLast: 1, keepWeekly: 2, keepMonthly: 2, keepYearly: 1 },
      { timezone: 'UTC', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({
      jan2: ['newest', 'last', 'weekly 2026-W53', 'monthly 2027-01', 'yearly 2027'],
      dec31: ['monthly 2026-12'],
      dec27: ['weekly 2026-W52'],
    });
    expect(plan.remove.map((r) => r.id)).toEqual(['dec28']);
  });

  it('puts a backup at 00:05 local on its local day', () => {
    const backups = [
      completed('late', '2027-07-02T10:00:00Z'),
      completed('early', '2027-07-01T23:05:00Z'),
      completed('prev', '2027-07-01T12:00:00Z'),
    ];
    const london = planRetention(backups, { keepDaily: 2 }, { timezone: 'Europe/London', now: NOW });
    expect(reasonsOf(london)).toEqual({ late: ['newest', 'daily 2027-07-02'], prev: ['daily 2027-07-01'] });
    const utc = planRetention(backups, { keepDaily: 2 }, { timezone: 'UTC', now: NOW });
    expect(reasonsOf(utc)).toEqual({ late: ['newest', 'daily 2027-07-02'], early: ['daily 2027-07-01'] });
  });

  it('keeps one backup per hour on the fall-back night, when 01:00-02:00 happens twice', () => {
    const plan = planRetention(
      [completed('gmt', '2027-10-31T01:30:00Z'), completed('bst', '2027-10-31T00:30:00Z')],
      { keepHourly: 5, keepDaily: 1 },
      { timezone: 'Europe/London', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({
      gmt: ['newest', 'hourly 2027-10-31 01:00', 'daily 2027-10-31'],
      bst: ['oldest hourly 2027-10-31 01:00'],
    });
  });

  it('keepWithin measures from the newest backup, not from now', () => {
    const plan = planRetention(
      [completed('a', '2026-06-30T00:00:00Z'), completed('b', '2026-06-01T00:00:01Z'), completed('c', '2026-05-31T00:00:00Z')],
      { keepWithin: '30d' },
      { timezone: 'UTC', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({ a: ['newest', 'within 30d'], b: ['within 30d'] });
  });

  it('protects pinned, running and young safety backups; leaves FAILED and DELETED out', () => {
    const plan = planRetention(
      [
        completed('new', '2027-01-10T02:00:00Z'),
        { ...completed('run', '2027-01-10T11:00:00Z'), status: 'RUNNING' },
        { ...completed('fail', '2027-01-09T02:00:00Z'), status: 'FAILED' },
        { ...completed('gone', '2027-01-08T02:00:00Z'), status: 'DELETED' },
        completed('safe', '2027-01-04T12:00:01Z', { type: 'PRE_RESTORE' }),
        completed('oldsafe', '2027-01-03T12:00:00Z', { type: 'PRE_RESTORE' }),
        completed('pin', '2026-01-01T00:00:00Z', { pinned: true }),
      ],
      { keepLast: 1 },
      { timezone: 'UTC', now: NOW },
    );
    expect(reasonsOf(plan)).toEqual({
      run: ['running'],
      new: ['newest', 'last'],
      safe: ['safety backup (younger than 7 days)'],
      pin: ['pinned'],
    });
    expect(plan.remove.map((r) => r.id)).toEqual(['oldsafe']);
  });
});

// ---------------------------------------------------------------------------
// Reference: written from restic's documentation, independently of retention.ts
// (buckets through a different Intl formatting and a day-counting ISO week).

/** Deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function localParts(d: Date, timeZone: string) {
  // sv-SE prints "2027-01-02 03:04:05".
  const s = d.toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' });
  const [date = '', time = ''] = s.split(' ');
  const [y = 0, m = 0, day = 0] = date.split('-').map(Number);
  return { y, m, day, h: Number(time.split(':')[0]), date };
}

function refWeek(y: number, m: number, d: number): string {
  // Count days from the Monday of ISO week 1 (the week containing 4 January).
  const dayNo = (yy: number, mm: number, dd: number) => Math.round(Date.UTC(yy, mm - 1, dd) / 86_400_000);
  const week1Monday = (yy: number) => {
    const jan4 = dayNo(yy, 1, 4);
    const weekday = (new Date(jan4 * 86_400_000).getUTCDay() + 6) % 7; // Monday 0
    return jan4 - weekday;
  };
  const n = dayNo(y, m, d);
  let year = y + 1;
  while (n < week1Monday(year)) year--;
  return `${year}-W${String(Math.floor((n - week1Monday(year)) / 7) + 1).padStart(2, '0')}`;
}

function refBucket(kind: string, d: Date, tz: string): string {
  const p = localParts(d, tz);
  if (kind === 'hourly') return `${p.date} ${String(p.h).padStart(2, '0')}:00`;
  if (kind === 'daily') return p.date;
  if (kind === 'weekly') return refWeek(p.y, p.m, p.day);
  if (kind === 'monthly') return p.date.slice(0, 7);
  return p.date.slice(0, 4);
}

function reference(backups: TRetentionBackup[], policy: TRetentionPolicy, tz: string, now: Date) {
  const list = backups.filter((b) => b.status === 'COMPLETED');
  list.sort((a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.id.localeCompare(b.id)));
  const kinds: [string, number][] = [
    ['last', policy.keepLast ?? 0],
    ['hourly', policy.keepHourly ?? 0],
    ['daily', policy.keepDaily ?? 0],
    ['weekly', policy.keepWeekly ?? 0],
    ['monthly', policy.keepMonthly ?? 0],
    ['yearly', policy.keepYearly ?? 0],
  ];
  const left = kinds.map(([, n]) => n);
  const lastKept: (string | undefined)[] = kinds.map(() => undefined);
  // keepWithin here is whole days only (the random policies use only days), in UTC days of 24 h when tz is UTC.
  const withinDays = policy.keepWithin ? Number(policy.keepWithin.slice(0, -1)) : 0;
  const keep: Record<string, string[]> = {};
  const remove: string[] = [];
  list.forEach((b, i) => {
    const r: string[] = [];
    if (i === 0) r.push('newest');
    if (b.pinned) r.push('pinned');
    if (b.type === 'PRE_RESTORE' && now.getTime() - b.createdAt.getTime() < 7 * 86_400_000) r.push('safety backup (younger than 7 days)');
    const newest = list[0];
    if (withinDays > 0 && newest && b.createdAt.getTime() > newest.createdAt.getTime() - withinDays * 86_400_000)
      r.push(`within ${withinDays}d`);
    kinds.forEach(([kind], k) => {
      if ((left[k] ?? 0) === 0) return;
      const bucket = kind === 'last' ? `#${i}` : refBucket(kind, b.createdAt, tz);
      const isOldest = i === list.length - 1;
      if (bucket !== lastKept[k]) r.push(kind === 'last' ? 'last' : `${kind} ${bucket}`);
      else if (isOldest) r.push(`oldest ${kind} ${bucket}`);
      else return;
      lastKept[k] = bucket;
      left[k] = (left[k] ?? 0) - 1;
    });
    if (r.length) keep[b.id] = r;
    else remove.push(b.id);
  });
  for (const b of backups) if (b.status === 'RUNNING') keep[b.id] = ['running'];
  return { keep, remove };
}

describe('planRetention against the reference on random histories', () => {
  it('agrees on 500 seeded histories and policies', () => {
    const random = prng(20261127);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const statuses: TRetentionBackup['status'][] = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'DELETED', 'RUNNING'];
    const types: TRetentionBackup['type'][] = ['SCHEDULED', 'SCHEDULED', 'MANUAL', 'PRE_RESTORE'];
    for (let run = 0; run < 500; run++) {
      // UTC only for keepWithin: the reference's days are 24 h, which equals calendar days only there.
      const tz = pick(['UTC', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York']);
      const span = pick([3, 48, 24 * 20, 24 * 400, 24 * 1500]) * 3_600_000; // hours to years of history
      const now = new Date(Date.UTC(2027, 0, 1) + Math.floor(random() * 3 * 365) * 86_400_000 + Math.floor(random() * 86_400_000));
      const n = Math.floor(random() * 40);
      const backups: TRetentionBackup[] = Array.from({ length: n }, (_, i) => ({
        id: `b${i}`,
        // Whole minutes, so that duplicates of the same instant happen too.
        createdAt: new Date(Math.floor((now.getTime() - random() * span) / 60_000) * 60_000),
        status: pick(statuses),
        type: pick(types),
        pinned: random() < 0.05,
      }));
      const policy: TRetentionPolicy = {};
      const rnd = () => (random() < 0.5 ? undefined : Math.floor(random() * 6));
      [policy.keepLast, policy.keepHourly, policy.keepDaily, policy.keepWeekly, policy.keepMonthly, policy.keepYearly] = [
        rnd(),
        rnd(),
        rnd(),
        rnd(),
        rnd(),
        rnd(),
      ];
      if (tz === 'UTC' && random() < 0.4) policy.keepWithin = `${1 + Math.floor(random() * 60)}d`;
      if (isEmptyPolicy(policy)) policy.keepDaily = 1 + Math.floor(random() * 5);

      const plan = planRetention(backups, policy, { timezone: tz, now });
      const ref = reference(backups, policy, tz, now);
      const context = JSON.stringify({ run, tz, policy, now, backups });
      expect(reasonsOf(plan), context).toEqual(ref.keep);
      expect(plan.remove.map((r) => r.id).sort(), context).toEqual([...ref.remove].sort());
    }
  });
});
