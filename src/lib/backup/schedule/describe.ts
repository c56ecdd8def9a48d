/**
 * Plain-English descriptions of schedules for the dashboard and `schedule list`
 * ("Every day at 02:00, Europe/London"). Common shapes get a sentence; anything
 * else falls back to the expression itself, which is never wrong.
 */
import { parseCronFields, type TCronFields } from './cron-expression';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const two = (n: number) => String(n).padStart(2, '0');

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "Every 6th hour" steps: the raw field is `*\/n`. */
function step(field: string): number | null {
  const m = /^\*\/(\d+)$/.exec(field);
  return m ? Number(m[1]) : null;
}

/** The days part ("Every day", "Every weekday", "Every Sunday", "On day 1 of every month"), or null when too complex. */
function days(f: TCronFields): string | null {
  if (!f.star.month) return null;
  if (f.star.dayOfMonth && f.star.dayOfWeek) return 'Every day';
  if (f.star.dayOfMonth) {
    const dow = f.dayOfWeek.join(',');
    if (dow === '1,2,3,4,5') return 'Every weekday';
    if (dow === '0,6') return 'Every Saturday and Sunday';
    return `Every ${list(f.dayOfWeek.map((d) => DAY_NAMES[d] ?? String(d)))}`;
  }
  if (f.star.dayOfWeek && f.dayOfMonth.length <= 3) return `On day ${list(f.dayOfMonth.map(String))} of every month`;
  return null;
}

/**
 * A plain-language description: "Every day at 02:00, Europe/London", "Every hour at
 * minute 15", "Every Sunday at 03:00, Europe/London", "Every weekday at 18:30, UTC",
 * "At minute 0 past every 6th hour", "Every 15 minutes"; otherwise
 * "Cron 5 4 1-7 * 1-5 (Europe/London)". An invalid expression is described as such.
 */
export function describeSchedule({ cron, timezone }: { cron: string; timezone: string }): string {
  let f: ReturnType<typeof parseCronFields>;
  try {
    f = parseCronFields(cron);
  } catch {
    return `Invalid cron expression "${cron}"`;
  }
  const [minuteText = '', hourText = ''] = f.normalized.split(' ');
  const everyDay = f.star.dayOfMonth && f.star.month && f.star.dayOfWeek;
  const fallback = `Cron ${f.normalized} (${timezone})`;

  // Sub-daily shapes, where the timezone changes nothing worth saying.
  if (everyDay && f.star.hour) {
    if (f.star.minute) return 'Every minute';
    const minuteStep = step(minuteText);
    if (minuteStep) return `Every ${minuteStep} minutes`;
    if (f.minute.length === 1) return `Every hour at minute ${f.minute[0]}`;
    return fallback;
  }
  if (everyDay && f.minute.length === 1) {
    const hourStep = step(hourText);
    if (hourStep) return `At minute ${f.minute[0]} past every ${ordinal(hourStep)} hour`;
  }

  // A day pattern at one or a few fixed times.
  const dayText = days(f);
  if (dayText && f.minute.length === 1 && !f.star.hour && f.hour.length <= 4 && !step(hourText)) {
    const times = f.hour.map((h) => `${two(h)}:${two(f.minute[0] ?? 0)}`);
    return `${dayText} at ${list(times)}, ${timezone}`;
  }
  return fallback;
}
