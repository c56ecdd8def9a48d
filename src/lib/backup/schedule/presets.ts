/**
 * The dashboard's schedule presets (hourly, daily at a time, weekly on a day) and
 * the way back from a cron expression to a preset when a schedule is edited.
 */
import { parseCronFields } from './cron-expression';

/** A preset as the schedule form edits it; `time` is `HH:MM` (24-hour), `day` is 0 (Sunday) to 6 (Saturday). */
export type TSchedulePreset =
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; time: string }
  | { kind: 'weekly'; day: number; time: string };

/** `HH:MM`, 24-hour. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

const isInt = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** Why a preset is malformed, or null. */
export function presetProblem(p: TSchedulePreset): string | null {
  if (p.kind === 'hourly') return isInt(p.minute, 0, 59) ? null : 'The minute must be a whole number from 0 to 59';
  if (!TIME_PATTERN.test(p.time)) return 'Use a 24-hour time such as 02:00';
  if (p.kind === 'weekly' && !isInt(p.day, 0, 6)) return 'The day must be 0 (Sunday) to 6 (Saturday)';
  return null;
}

function hourMinute(time: string): [number, number] {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return [h, m];
}

/** The cron expression of a preset: `15 * * * *`, `0 2 * * *`, `0 3 * * 0`. Throws on a malformed preset. */
export function presetCron(p: TSchedulePreset): string {
  const problem = presetProblem(p);
  if (problem) throw new Error(problem);
  if (p.kind === 'hourly') return `${p.minute} * * * *`;
  const [h, m] = hourMinute(p.time);
  return p.kind === 'daily' ? `${m} ${h} * * *` : `${m} ${h} * * ${p.day}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The preset a cron expression is, or null when it is not one (or is invalid): the form then opens in advanced mode. */
export function presetOf(cron: string): TSchedulePreset | null {
  let f: ReturnType<typeof parseCronFields>;
  try {
    f = parseCronFields(cron);
  } catch {
    return null; // an invalid expression is simply not a preset; validation reports it elsewhere
  }
  const [minute] = f.minute;
  if (f.minute.length !== 1 || minute === undefined || !f.star.dayOfMonth || !f.star.month) return null;
  if (f.star.hour) return f.star.dayOfWeek ? { kind: 'hourly', minute } : null;
  const [hour] = f.hour;
  if (f.hour.length !== 1 || hour === undefined) return null;
  const time = `${two(hour)}:${two(minute)}`;
  if (f.star.dayOfWeek) return { kind: 'daily', time };
  const [day] = f.dayOfWeek;
  return f.dayOfWeek.length === 1 && day !== undefined ? { kind: 'weekly', day, time } : null;
}
