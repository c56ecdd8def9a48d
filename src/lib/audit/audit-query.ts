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

export interface TAuditLogEntry {
  id: string;
  createdAt: string;
  action: string;
  outcome: 'SUCCESS' | 'FAILURE' | 'DENIED';
  actorEmail: string | null;
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
    actorEmail: row.actorEmail,
    targetId: row.targetId,
    details: row.details,
    ipAddress: row.ipAddress,
  }));
}
