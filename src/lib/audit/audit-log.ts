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
