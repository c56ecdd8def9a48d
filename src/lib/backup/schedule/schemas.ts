/**
 * Zod schemas for schedule and retention input (actions, CLI). Kept apart from the
 * pure modules on purpose: zod must stay out of the browser bundle (its eval probe
 * breaks the dashboard's CSP), while slots, describe and presets run there.
 */
import { z } from 'zod';
import { cronProblem } from './cron-expression';
import { presetProblem, type TSchedulePreset } from './presets';
import type { TRetentionPolicy } from './retention';
import { parseDuration } from './retention-duration';
import { isValidTimezone } from './timezone';

/** A 5-field cron expression; the message reads `Invalid cron expression "…": <why>`. */
export const ZCronExpression = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `Invalid cron expression "${value}": ${problem}` });
});

/** An IANA timezone name; the message reads `Unknown timezone "…"`. */
export const ZTimezone = z.string().superRefine((value, ctx) => {
  if (!isValidTimezone(value)) ctx.addIssue({ code: 'custom', message: `Unknown timezone "${value}"` });
});

/** A schedule's timing. */
export const ZSchedule = z.object({ cron: ZCronExpression, timezone: ZTimezone });

/** A dashboard preset (see `presets.ts`). */
export const ZSchedulePreset = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('hourly'), minute: z.number() }),
    z.object({ kind: z.literal('daily'), time: z.string() }),
    z.object({ kind: z.literal('weekly'), day: z.number(), time: z.string() }),
  ])
  .superRefine((value, ctx) => {
    const problem = presetProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }) satisfies z.ZodType<TSchedulePreset>;

const count = z.number().int().nonnegative().optional();

/** A retention policy; an all-empty one passes here and is refused by `planRetention` (check `isEmptyPolicy` to say so early). */
export const ZRetentionPolicy = z.object({
  keepLast: count,
  keepHourly: count,
  keepDaily: count,
  keepWeekly: count,
  keepMonthly: count,
  keepYearly: count,
  keepWithin: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseDuration(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    })
    .optional(),
}) satisfies z.ZodType<TRetentionPolicy>;
