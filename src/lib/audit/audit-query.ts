import { z } from 'zod';
import type { PrismaClient } from '@/generated/prisma/client';

export const ZAuditLogQuery = z
  .object({
    /** Exact action (`backup.created`) or a prefix ending in a dot (`backup.`). */
    action: z
      .string()
      .regex(/^[a-z][a-z.]*$/, 'Invalid action filter')
      .max(64)
      .optional(),
    outcome: z.enum(['SUCCESS', 'FAILURE', 'DENIED']).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type TAuditLogQuery = z.input<typeof ZAuditLogQuery>;

/**
 * Who acted: a signed-in `user`; `anonymous`, a web request nobody was signed
 * in for (refused, or a failed sign-in naming an email); or the `system`
 * (CLI, schedules), which is never refused.
 */
export type TAuditActorKind = 'user' | 'anonymous' | 'system';

export function actorKindOf(row: { actorId: string | null; actorEmail: string | null; outcome: string }): TAuditActorKind {
  if (row.actorId !== null) return 'user';
  return row.outcome === 'DENIED' || row.actorEmail !== null ? 'anonymous' : 'system';
}

export interface TAuditLogEntry {
  id: string;
  createdAt: string;
  action: string;
  outcome: 'SUCCESS' | 'FAILURE' | 'DENIED';
  actorKind: TAuditActorKind;
  actorEmail: string | null;
  /** Events the row stands for: above 1 for repeated refusals aggregated per source and minute. */
  count: number;
  targetId: string | null;
  details: unknown;
  ipAddress: string | null;
}

/** Recent audit rows, newest first, as plain JSON (BigInt ids as strings). */
export async function listAuditLog(prisma: PrismaClient, query: z.output<typeof ZAuditLogQuery>): Promise<TAuditLogEntry[]> {
  const action = query.action?.endsWith('.') ? { startsWith: query.action } : query.action;
  const rows = await prisma.auditLog.findMany({
    where: { ...(action ? { action } : {}), ...(query.outcome ? { outcome: query.outcome } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit,
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    createdAt: row.createdAt.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actorKind: actorKindOf(row),
    actorEmail: row.actorEmail,
    count: row.count,
    targetId: row.targetId,
    details: row.details,
    ipAddress: row.ipAddress,
  }));
}
