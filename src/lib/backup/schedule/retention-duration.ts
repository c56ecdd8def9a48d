/**
 * restic's calendar durations for `keepWithin` (`--keep-within 1y6m`): years,
 * months, days and hours, subtracted from the newest backup like Go's
 * `AddDate(-y, -m, -d).Add(-h hours)` in the policy's timezone.
 */
import { offsetAt, wallFields, wallMs } from './timezone';

/** A calendar duration; all parts are whole, non-negative numbers. */
export type TRetentionDuration = { years: number; months: number; days: number; hours: number };

const UNITS: Record<string, keyof TRetentionDuration> = { y: 'years', m: 'months', d: 'days', h: 'hours' };

/**
 * Parses `30d`, `12h`, `1y6m`, `2w` (weeks are our one addition to restic's syntax
 * and become days). Throws an Error with a message the user can act on.
 */
export function parseDuration(text: string): TRetentionDuration {
  const d: TRetentionDuration = { years: 0, months: 0, days: 0, hours: 0 };
  const s = text.trim();
  if (s === '') throw new Error('Empty duration: use a number and a unit, e.g. "30d", "12h", "1y6m"');
  const seen = new Set<string>();
  const re = /(\d+)([a-zA-Z]?)/y;
  for (let i = 0; i < s.length; ) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new Error(`Invalid duration "${text}": expected a number at "${s.slice(i)}" (e.g. "30d", "12h", "1y6m")`);
    const [, digits = '', unit = ''] = m;
    if (unit === '') throw new Error(`Invalid duration "${text}": no unit after ${digits} (use y, m, d, h or w)`);
    const u = unit.toLowerCase();
    if (seen.has(u)) throw new Error(`Invalid duration "${text}": unit "${u}" given twice`);
    seen.add(u);
    if (u === 'w') d.days += 7 * Number(digits);
    else {
      const key = UNITS[u];
      if (!key) throw new Error(`Invalid duration "${text}": unknown unit "${unit}" (use y, m, d, h or w)`);
      d[key] += Number(digits);
    }
    i = re.lastIndex;
  }
  return d;
}

/** True when the duration is zero (`0d`): like restic, a zero keepWithin keeps nothing. */
export function isZeroDuration(d: TRetentionDuration): boolean {
  return d.years === 0 && d.months === 0 && d.days === 0 && d.hours === 0;
}

/** restic's canonical form: `1y6m`, `30d`, `12h`; a zero duration is `0d`. */
export function formatDuration(d: TRetentionDuration): string {
  const s = `${d.years ? `${d.years}y` : ''}${d.months ? `${d.months}m` : ''}${d.days ? `${d.days}d` : ''}${d.hours ? `${d.hours}h` : ''}`;
  return s || '0d';
}

/**
 * The instant `d` before `from`: calendar fields go back in `timezone` with Go's
 * normalisation (31 March minus 1 month is 3 March, as `AddDate` gives), then the
 * hours go back as real elapsed time.
 */
export function subtractDuration(from: Date, d: TRetentionDuration, timezone: string): Date {
  const f = wallFields(from.getTime(), timezone);
  const ms = ((from.getTime() % 1000) + 1000) % 1000;
  const shifted = wallMs({ ...f, year: f.year - d.years, month: f.month - d.months, day: f.day - d.days });
  // Back from wall time to an instant; in a DST gap or overlap Go picks one of the
  // candidates too, so the hour either way is accepted.
  const guess = shifted - offsetAt(shifted, timezone);
  const instant = shifted - offsetAt(guess, timezone);
  return new Date(instant + ms - d.hours * 3_600_000);
}
