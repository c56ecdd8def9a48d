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
    /** Rows created on or after this instant. */
    from: z.iso.datetime().optional(),
    /** Rows created before this instant (exclusive, so a day's end is the next day's start). */
    to: z.iso.datetime().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** Rows to skip, newest first: the page offset. */
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from < query.to, { message: 'The start of the period must come before its end' });
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
  /** The signed-in user's name, when the row has one and the user still exists. */
  actorName: string | null;
  /** Events the row stands for: above 1 for repeated refusals aggregated per source and minute. */
  count: number;
  targetId: string | null;
  details: unknown;
  ipAddress: string | null;
}

/** One page of audit rows, and whether older rows follow it. */
export interface TAuditLogPage {
  entries: TAuditLogEntry[];
  hasMore: boolean;
}

/**
 * Audit rows, newest first, as plain JSON (BigInt ids as strings), one page
 * at a time (offset paging: the trail only grows at the newest end, so a
 * page of older rows shifts by at most the rows written since).
 */
export async function listAuditLog(prisma: PrismaClient, query: z.output<typeof ZAuditLogQuery>): Promise<TAuditLogPage> {
  const action = query.action?.endsWith('.') ? { startsWith: query.action } : query.action;
  const createdAt =
    query.from || query.to
      ? { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) }
      : undefined;
  const found = await prisma.auditLog.findMany({
    where: { ...(action ? { action } : {}), ...(query.outcome ? { outcome: query.outcome } : {}), ...(createdAt ? { createdAt } : {}) },
    orderBy: { id: 'desc' },
    skip: query.offset,
    // One more than the page, to know whether there is a next one.
    take: query.limit + 1,
  });
  const rows = found.slice(0, query.limit);
  const actorIds = [...new Set(rows.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const users = actorIds.length ? await prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  const entries = rows.map((row) => ({
    id: row.id.toString(),
    createdAt: row.createdAt.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actorKind: actorKindOf(row),
    actorEmail: row.actorEmail,
    actorName: row.actorId ? (names.get(row.actorId) ?? null) : null,
    count: row.count,
    targetId: row.targetId,
    details: row.details,
    ipAddress: row.ipAddress,
  }));
  return { entries, hasMore: found.length > query.limit };
}
