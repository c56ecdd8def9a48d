import { z } from 'zod';
import { BackupError } from './errors';

/** A backup id as the `Backup` table makes them (cuid). Anything else is refused before any lookup. */
export const ZBackupId = z.string().regex(/^c[a-z0-9]{20,32}$/, 'Invalid backup id');

export const ZCreateBackupInput = z
  .object({
    type: z.enum(['MANUAL', 'SCHEDULED', 'PRE_RESTORE']).optional(),
    models: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Invalid model name'))
      .max(500)
      .optional(),
  })
  .strict();

export const ZRestoreOptions = z.object({ confirm: z.boolean(), safetyBackup: z.boolean().optional() }).strict();

/** Parses input at the service boundary; a failure is an INVALID_INPUT error that names the problem. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BackupError('INVALID_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
