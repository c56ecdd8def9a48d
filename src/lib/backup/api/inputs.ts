import { z } from 'zod';
import { BackupError } from '../errors/errors';

/** A backup id as the `Backup` table makes them (cuid). Anything else is refused before any lookup. */
export const ZBackupId = z.string().regex(/^c[a-z0-9]{20,32}$/, 'Invalid backup id');

export const ZCreateBackupInput = z
  .object({
    /** SCHEDULED backups are made only by a schedule's runner, which records the schedule and slot. */
    type: z.enum(['MANUAL', 'PRE_RESTORE']).optional(),
    /** FULL (one file, the default) or INCREMENTAL (a snapshot: deduplicated chunks and a manifest; README, "Snapshots"). */
    kind: z.enum(['FULL', 'INCREMENTAL']).optional(),
    /** Back up only these models (by schema name); all models when omitted. */
    models: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Invalid model name'))
      .max(500)
      .optional(),
  })
  .strict();
export type TCreateBackupInput = z.infer<typeof ZCreateBackupInput>;

export const ZRestoreOptions = z
  .object({
    /** Must be true: a restore replaces current data. */
    confirm: z.boolean(),
    /** Take a PRE_RESTORE backup of the current data first (default true). */
    safetyBackup: z.boolean().optional(),
  })
  .strict();
export type TRestoreOptions = z.infer<typeof ZRestoreOptions>;

/** `erp-backup gc`: with `dryRun`, only count what would be deleted. */
export const ZGcInput = z.object({ dryRun: z.boolean().optional() }).strict();

/** Parses input at the service boundary; a failure is an INVALID_INPUT error that names the problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BackupError('INVALID_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
