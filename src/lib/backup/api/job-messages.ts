import { z } from 'zod';
import type { TBackupErrorCode } from '../errors/errors';
import type { TProgress } from '../process/progress';
import { ZBackupId, ZCreateBackupInput, ZRestoreOptions } from './inputs';
import type { TServiceResult } from './result';

/**
 * What the web server and a backup child process (src/cli/job-child.ts,
 * started by runtime/job-runner.ts) say to each other over their IPC channel.
 * The job travels here, never in argv or the environment, so the acting
 * administrator stays out of the process list. Both ends parse what they
 * receive: a message of another version or shape is refused, not guessed at.
 */

/** Who acts, for the AuditLog rows the child writes (TAuditContext). */
const ZActor = z
  .object({
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable().optional(),
    ipAddress: z.string().nullable().optional(),
    userAgent: z.string().nullable().optional(),
  })
  .strict();

/** The one message the parent sends: the operation to run. `scheduler` runs the schedules until the child is stopped. */
export const ZJobRequest = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('backup'), input: ZCreateBackupInput, actor: ZActor }).strict(),
  z.object({ operation: z.literal('restore'), id: ZBackupId, options: ZRestoreOptions, actor: ZActor }).strict(),
  z.object({ operation: z.literal('drill'), id: ZBackupId.optional(), actor: ZActor }).strict(),
  z.object({ operation: z.literal('scheduler') }).strict(),
]);
export type TJobRequest = z.infer<typeof ZJobRequest>;

const ZProgress = z.object({
  id: z.string(),
  operation: z.enum(['backup', 'restore', 'verify']),
  phase: z.enum(['preparing', 'exporting', 'finishing', 'uploading', 'verifying', 'safety-backup', 'restoring', 'done', 'failed']),
  rowsDone: z.number(),
  rowsTotal: z.number(),
  bytesWritten: z.number(),
  currentModel: z.string().nullable(),
  startedAt: z.number(),
  updatedAt: z.number(),
}) satisfies z.ZodType<TProgress>;

const ZResult = z.union([
  // Loose: a restore's result also carries `recordsRestored` at the top (the facade's TRestoreServiceResult).
  z.looseObject({ success: z.literal(true), data: z.unknown() }),
  z.object({ success: z.literal(false), error: z.string(), code: z.custom<TBackupErrorCode>((code) => typeof code === 'string') }),
]);

/** What the child sends back: the new backup's id once its row exists, its progress, and the operation's result, last. */
export const ZJobMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), backupId: ZBackupId }),
  z.object({ type: z.literal('progress'), progress: ZProgress }),
  z.object({ type: z.literal('result'), result: ZResult }),
]);
export type TJobMessage = z.infer<typeof ZJobMessage>;
/** The result as the facade returns it; `data` keeps its types because the channel uses structured clone (Dates stay Dates). */
export type TJobResult = TServiceResult<unknown>;
