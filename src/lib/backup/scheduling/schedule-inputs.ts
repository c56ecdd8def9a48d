import { z } from 'zod';
import { ZRetentionPolicy } from '../schedule/schemas';

/** A schedule id as the `BackupSchedule` table makes them (cuid). */
export const ZScheduleId = z.string().regex(/^c[a-z0-9]{20,32}$/, 'Invalid schedule id');

const ZScheduleName = z.string().trim().min(1, 'A schedule name cannot be empty').max(100, 'A schedule name has at most 100 characters');
// Shape only here; the expression and the timezone are checked by `parseSchedule`, which says what is wrong with them.
const ZCronText = z.string().trim().min(1, 'A cron expression is required').max(200);
const ZTimezoneText = z.string().trim().min(1).max(100);

/** What a schedule's slots do (README, "Schedules and retention"). */
export const ZScheduleKind = z.enum(['BACKUP', 'DRILL', 'SCRUB']);
export const ZBackupKind = z.enum(['FULL', 'INCREMENTAL']);

export const ZScheduleInput = z
  .object({
    /** BACKUP when omitted. */
    kind: ZScheduleKind.optional(),
    /** For BACKUP schedules: a full backup (FULL, the default) or a snapshot (INCREMENTAL). */
    backupKind: ZBackupKind.optional(),
    name: ZScheduleName.optional(),
    cron: ZCronText,
    /** IANA timezone; the server's when omitted. */
    timezone: ZTimezoneText.optional(),
    enabled: z.boolean().optional(),
    retention: ZRetentionPolicy.optional(),
  })
  .strict();
export type TScheduleInput = z.infer<typeof ZScheduleInput>;

export const ZScheduleUpdate = z
  .object({
    name: ZScheduleName.optional(),
    backupKind: ZBackupKind.optional(),
    cron: ZCronText.optional(),
    timezone: ZTimezoneText.optional(),
    enabled: z.boolean().optional(),
    retention: ZRetentionPolicy.optional(),
  })
  .strict();
export type TScheduleUpdate = z.infer<typeof ZScheduleUpdate>;

/**
 * What `prune` applies: a schedule's own policy (and timezone), or a policy
 * given here for the backups no schedule made (manual and safety backups).
 * A dry run may give both: the policy as it would apply to that schedule's
 * backups (the dashboard previews an edited policy before it is saved).
 */
export const ZPruneInput = z
  .object({
    scheduleId: ZScheduleId.optional(),
    policy: ZRetentionPolicy.optional(),
    timezone: ZTimezoneText.optional(),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((input) => input.dryRun || !(input.scheduleId && input.policy), {
    message: 'Give either a schedule or --keep-… rules, not both (both only with --dry-run)',
  })
  .refine((input) => input.scheduleId || input.policy, { message: 'Give a schedule (--schedule <id>) or at least one --keep-… rule' });
export type TPruneInput = z.input<typeof ZPruneInput>;
