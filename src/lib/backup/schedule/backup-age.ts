import { nextSlots, type TSchedule } from './slots';

/** The dead man's switch's limit when BACKUP_MAX_AGE_HOURS is unset and a schedule runs at least daily: a day and a slack of two hours. */
export const DEFAULT_MAX_AGE_HOURS = 26;

/** Slots looked at to decide whether a schedule runs at least once a day: two weeks of a daily one, enough to see a weekend gap. */
const SLOTS_CHECKED = 15;
/** A daily slot may be 25 h from the previous one across a daylight-saving change. */
const DAILY_GAP_MS = 25 * 3_600_000;

/** True when every gap between the schedule's next slots is at most a day (a DST day counts as one). */
export function runsAtLeastDaily(schedule: TSchedule, now: Date): boolean {
  const slots = nextSlots(schedule, now, SLOTS_CHECKED);
  if (slots.length < SLOTS_CHECKED) return false;
  return slots.every((slot, index) => index === 0 || slot.getTime() - (slots[index - 1] as Date).getTime() <= DAILY_GAP_MS);
}

/**
 * The age limit in force: BACKUP_MAX_AGE_HOURS when set; otherwise
 * DEFAULT_MAX_AGE_HOURS when an enabled schedule runs at least daily;
 * otherwise none (null): without a daily schedule nobody said how old is too old.
 */
export function maxAgeHoursFor(configured: number | undefined, enabledSchedules: readonly TSchedule[], now: Date): number | null {
  if (configured !== undefined) return configured;
  return enabledSchedules.some((schedule) => runsAtLeastDaily(schedule, now)) ? DEFAULT_MAX_AGE_HOURS : null;
}

export interface TBackupAgeInput {
  /** When the newest COMPLETED backup completed; null when there is none. */
  lastSuccessAt: Date | null;
  /**
   * Since when a backup has been expected, for a database that has none yet:
   * when the oldest enabled schedule was created. Null: none is expected.
   */
  expectedSince: Date | null;
  maxAgeHours: number | null;
  now: Date;
}

export interface TBackupAge {
  /** True when the limit is exceeded: the last success (or, with none, the first expectation) is older than maxAgeHours. */
  stale: boolean;
  /** Hours since the last success, to one decimal; null with no success. */
  ageHours: number | null;
}

/** The dead man's switch, on an injected clock: is the newest backup too old? */
export function judgeBackupAge({ lastSuccessAt, expectedSince, maxAgeHours, now }: TBackupAgeInput): TBackupAge {
  const hoursSince = (time: Date) => (now.getTime() - time.getTime()) / 3_600_000;
  const ageHours = lastSuccessAt ? Math.round(hoursSince(lastSuccessAt) * 10) / 10 : null;
  if (maxAgeHours === null) return { stale: false, ageHours };
  const reference = lastSuccessAt ?? expectedSince;
  return { stale: reference !== null && hoursSince(reference) > maxAgeHours, ageHours };
}
