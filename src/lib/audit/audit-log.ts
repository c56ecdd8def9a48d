import type { PrismaClient } from '@/generated/prisma/client';
import type { AuditOutcome } from '@/generated/prisma/enums';

/** Who did something and from where; `actorId` null means the system (a schedule, the CLI). */
export interface TAuditContext {
  actorId: string | null;
  actorEmail?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
}

export const SYSTEM_ACTOR: TAuditContext = { actorId: null };

export interface TAuditEntry {
  /** Dotted name such as `backup.created`, `backup.restore.started`, `backup.restored`. */
  action: string;
  outcome: AuditOutcome;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The one way to write the audit trail. Throws if the row cannot be written:
 * callers decide on purpose whether an operation may go on without its audit
 * row (a restore or delete may not). `prisma` may be a transaction, to
 * commit the record together with what it records.
 */
export async function writeAudit(prisma: Pick<PrismaClient, 'auditLog'>, context: TAuditContext, entry: TAuditEntry): Promise<void> {
  await prisma.auditLog.create({
    data: {
      action: entry.action,
      outcome: entry.outcome,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? undefined) as object | undefined,
      actorId: context.actorId,
      actorEmail: context.actorEmail ?? null,
      ipAddress: context.ipAddress ?? null,
      userAgent: context.userAgent ?? null,
    },
  });
}

/**
 * The same trail for events that come in floods (refused requests): every
 * call with the same `key` adds 1 to one row's `count` instead of adding a
 * row, and returns the count after this call. One statement, `INSERT … ON
 * CONFLICT ("aggregationKey") DO UPDATE`, so concurrent calls on any number
 * of app instances neither lose a count nor fail on the unique key. The
 * first call's context and details are kept. Throws like `writeAudit`.
 */
export async function countAudit(prisma: PrismaClient, context: TAuditContext, entry: TAuditEntry, key: string): Promise<number> {
  const details = entry.details === undefined ? null : JSON.stringify(entry.details);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "AuditLog" ("action", "outcome", "targetId", "details", "actorId", "actorEmail", "ipAddress", "userAgent", "aggregationKey")
    VALUES (${entry.action}, ${entry.outcome}::"AuditOutcome", ${entry.targetId ?? null}, ${details}::jsonb, ${context.actorId},
            ${context.actorEmail ?? null}, ${context.ipAddress ?? null}, ${context.userAgent ?? null}, ${key})
    ON CONFLICT ("aggregationKey") DO UPDATE SET "count" = "AuditLog"."count" + 1
    RETURNING "count"`;
  if (!row) throw new Error(`The audit row ${entry.action} was not written`);
  return row.count;
}
