import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@/generated/prisma/client';
import type { TAlertEvent } from './alert-event';

/** An open incident as the dashboard and `erp-backup health` show it. */
export interface TIncidentView {
  key: string;
  event: string;
  severity: TAlertEvent['severity'];
  message: string;
  backupId: string | null;
  scheduleId: string | null;
  openedAt: string;
  lastSeenAt: string;
  /** How many times it was raised since it opened. */
  count: number;
}

/**
 * Records a raise of `event`'s incident and says whether it opened it: true
 * for the first raise (or the first since the incident was resolved), false
 * for a repeat, which only bumps `count` and `lastSeenAt`. One statement
 * (`INSERT … ON CONFLICT (key) DO UPDATE`), so of any number of processes
 * raising the same incident at once exactly one is told "opened", and only
 * that one sends the alert.
 */
export async function recordRaise(prisma: PrismaClient, event: TAlertEvent, now: Date): Promise<boolean> {
  // In ON CONFLICT DO UPDATE every expression reads the row as it was, so the CASEs see the old resolvedAt.
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "BackupIncident" ("id", "key", "event", "severity", "message", "backupId", "scheduleId", "openedAt", "lastSeenAt", "count")
    VALUES (${randomUUID()}, ${event.incidentKey}, ${event.event}, ${event.severity}, ${event.message}, ${event.backupId ?? null},
            ${event.scheduleId ?? null}, ${now}, ${now}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "BackupIncident"."resolvedAt" IS NULL THEN "BackupIncident"."count" + 1 ELSE 1 END,
      "openedAt" = CASE WHEN "BackupIncident"."resolvedAt" IS NULL THEN "BackupIncident"."openedAt" ELSE EXCLUDED."openedAt" END,
      "lastSeenAt" = EXCLUDED."lastSeenAt",
      "resolvedAt" = NULL,
      "event" = EXCLUDED."event",
      "severity" = EXCLUDED."severity",
      "message" = EXCLUDED."message",
      "backupId" = EXCLUDED."backupId",
      "scheduleId" = EXCLUDED."scheduleId"
    RETURNING "count"`;
  return row?.count === 1;
}

/**
 * Closes the open incident under `key` and says whether this call closed
 * it: of several processes reporting the same recovery, one is told true
 * (and sends the `recovered` alert); a recovery with nothing open is false.
 */
export async function resolveIncident(prisma: PrismaClient, key: string, now: Date): Promise<boolean> {
  const closed = await prisma.backupIncident.updateMany({ where: { key, resolvedAt: null }, data: { resolvedAt: now } });
  return closed.count > 0;
}

/** Open incidents, the most severe and then the newest first. */
export async function listOpenIncidents(prisma: PrismaClient): Promise<TIncidentView[]> {
  const rows = await prisma.backupIncident.findMany({ where: { resolvedAt: null }, orderBy: { lastSeenAt: 'desc' } });
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rows
    .map((row) => ({
      key: row.key,
      event: row.event,
      severity: toSeverity(row.severity),
      message: row.message,
      backupId: row.backupId,
      scheduleId: row.scheduleId,
      openedAt: row.openedAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      count: row.count,
    }))
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}

function toSeverity(value: string): TAlertEvent['severity'] {
  return value === 'critical' || value === 'warning' ? value : 'info';
}
