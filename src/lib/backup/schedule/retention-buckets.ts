/**
 * The calendar buckets retention rules compare, computed on the backup's local
 * time in the policy's timezone (restic uses the snapshot's local time the same
 * way). The keys double as the readable part of a keep reason.
 */
import { wallFields } from './timezone';

/** The periods a retention rule can count. */
export type TBucketKind = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week-numbering year and week of a calendar date (weeks start on Monday, week 1 holds the first Thursday). */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7; // Monday 1 .. Sunday 7
  // The Thursday of this week decides the year the week belongs to.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const isoYear = date.getUTCFullYear();
  const week = Math.floor((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 / 7) + 1;
  return { year: isoYear, week };
}

/**
 * The bucket of `instant` for `kind` in `timezone`, as a readable key:
 * `2026-11-26 14:00`, `2026-11-26`, `2026-W48`, `2026-11`, `2026`.
 */
export function bucketKey(kind: TBucketKind, instant: Date, timezone: string): string {
  const f = wallFields(instant.getTime(), timezone);
  switch (kind) {
    case 'hourly':
      return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:00`;
    case 'daily':
      return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
    case 'weekly': {
      const w = isoWeek(f.year, f.month, f.day);
      return `${w.year}-W${pad(w.week)}`;
    }
    case 'monthly':
      return `${f.year}-${pad(f.month)}`;
    case 'yearly':
      return String(f.year);
  }
}
