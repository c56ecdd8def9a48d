/**
 * Slot arithmetic for backup schedules: which instants a (cron, timezone) pair
 * names, and which of them are due. Pure: the clock is always an argument.
 *
 * DST behaviour (croner 11 with `fixedTimeRule: 'no-wildcard'`, close to Vixie cron):
 * - a fixed-time schedule (minute and hour without `*` or a step, e.g. `30 1 * * *`)
 *   whose local time does not exist that night (clocks go forward) runs ONCE at the
 *   first valid instant after the gap (01:30 in London on 2027-03-28 runs at 02:00 BST);
 *   when the local time happens twice (clocks go back) it runs once, at the first one.
 *   So every calendar day of a daily schedule gives exactly one slot.
 * - an interval schedule (`*\/15 * * * *`, `30 * * * *`) follows real time: times in the
 *   gap do not exist and are skipped, a repeated hour runs twice.
 */
import { Cron } from 'croner';
import { cronProblem, parseCronFields } from './cron-expression';
import { isValidTimezone } from './timezone';

/** A schedule's timing as stored: a 5-field cron expression and an IANA timezone. */
export type TSchedule = { cron: string; timezone: string };

/** A validated schedule, ready for slot arithmetic (build it with `parseSchedule`). */
export type TParsedSchedule = TSchedule & { readonly pattern: Cron };

/** How many missed slots `dueSlots` counts exactly before it stops counting. */
export const MISSED_COUNT_CAP = 1000;

/** The problems of a schedule as messages a user can act on (`Invalid cron expression "…": …`, `Unknown timezone "…"`); empty when valid. */
export function scheduleProblems({ cron, timezone }: TSchedule): string[] {
  const problems: string[] = [];
  const cronWhy = cronProblem(cron);
  if (cronWhy) problems.push(`Invalid cron expression "${cron}": ${cronWhy}`);
  if (!isValidTimezone(timezone)) problems.push(`Unknown timezone "${timezone}"`);
  return problems;
}

/**
 * Validates a schedule and prepares it. Throws an Error whose message joins
 * `scheduleProblems` (use that, or `ZSchedule` on the server, for a result instead).
 */
export function parseSchedule(input: TSchedule): TParsedSchedule {
  const problems = scheduleProblems(input);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const { normalized } = parseCronFields(input.cron);
  const pattern = new Cron(normalized, {
    timezone: input.timezone,
    mode: '5-part',
    // Classic cron: when both day fields are restricted, a day matching EITHER runs.
    domAndDow: false,
    fixedTimeRule: 'no-wildcard',
  });
  return { cron: input.cron, timezone: input.timezone, pattern };
}

function prepared(schedule: TSchedule | TParsedSchedule): TParsedSchedule {
  return 'pattern' in schedule ? schedule : parseSchedule(schedule);
}

/** The first slot strictly after `after`, or null when the expression never fires again (e.g. 31 February). */
export function nextSlot(schedule: TSchedule | TParsedSchedule, after: Date): Date | null {
  return prepared(schedule).pattern.nextRun(after);
}

/** The next `count` slots strictly after `after` (for previews). */
export function nextSlots(schedule: TSchedule | TParsedSchedule, after: Date, count: number): Date[] {
  return prepared(schedule).pattern.nextRuns(count, after);
}

/** The last slot at or before `atOrBefore`, or null. */
export function previousSlot(schedule: TSchedule | TParsedSchedule, atOrBefore: Date): Date | null {
  // previousRuns looks strictly before its reference; slots are whole minutes, so +1 ms includes `atOrBefore`.
  return prepared(schedule).pattern.previousRuns(1, new Date(atOrBefore.getTime() + 1))[0] ?? null;
}

/** What is due: the latest slot in (since, now] and how many earlier slots in that window were missed. */
export type TDueSlots = {
  /** The slot one run stands for (catch-up never runs the missed ones). */
  latest: Date;
  /** Slots in (since, latest), exact when `missedExact`, else at least MISSED_COUNT_CAP. */
  missed: number;
  missedExact: boolean;
};

/**
 * Slots in the half-open window (since, now]: the latest one, and how many earlier
 * ones were missed. Null when none is due. Counting walks the slots, so it stops at
 * MISSED_COUNT_CAP (an every-minute schedule down for a year would be 500 000 slots);
 * the count is informational only, since one run stands for all of them.
 */
export function dueSlots(schedule: TSchedule | TParsedSchedule, { since, now }: { since: Date; now: Date }): TDueSlots | null {
  const parsed = prepared(schedule);
  const latest = previousSlot(parsed, now);
  if (!latest || latest.getTime() <= since.getTime()) return null;
  let missed = 0;
  for (let slot = parsed.pattern.nextRun(since); slot && slot.getTime() < latest.getTime(); slot = parsed.pattern.nextRun(slot)) {
    if (missed === MISSED_COUNT_CAP) return { latest, missed, missedExact: false };
    missed++;
  }
  return { latest, missed, missedExact: true };
}
